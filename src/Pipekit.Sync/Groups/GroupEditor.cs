using Pipekit.Core.Validation;

namespace Pipekit.Sync.Groups;

/// <summary>
/// Creates, changes and deletes groups and their members one at a time (the API's group and group_member
/// resources). Each change is checked by <see cref="GroupValidator"/>, and member ids stay stable.
/// </summary>
public sealed class GroupEditor
{
    private readonly GroupRepository _groups;

    public GroupEditor(GroupRepository groups)
    {
        _groups = groups;
    }

    /// <summary>Saves a new group; a taken name is a <see cref="GroupNameTakenException"/>.</summary>
    public async Task<Group> CreateAsync(Group draft, CancellationToken cancellationToken)
    {
        var group = draft with { Id = 0, Members = draft.Members.Select(m => m with { Id = 0 }).ToList() };
        return await _groups.InsertAsync(group, GroupValidator.Validate, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored group and saves it once it validates, in one transaction holding
    /// the group, so a concurrent change is never lost.
    /// </summary>
    public async Task<Group> UpdateAsync(long id, Func<Group, Group> change, CancellationToken cancellationToken) =>
        await _groups.UpdateAsync(id, change, GroupValidator.Validate, cancellationToken) ?? throw new GroupNotFoundException($"with id {id}");

    /// <summary>Deletes a group with its members, schedules and group-run history (module runs stay).</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await _groups.DeleteAsync(id, cancellationToken)) throw new GroupNotFoundException($"with id {id}");
    }

    public async Task<IReadOnlyList<GroupMember>> ListMembersAsync(long? groupId, long? moduleId, CancellationToken cancellationToken) =>
        (await _groups.ListAsync(cancellationToken))
            .Where(g => groupId is null || g.Id == groupId)
            .SelectMany(g => g.Members.Select(m => m with { GroupId = g.Id }))
            .Where(m => moduleId is null || m.ModuleId == moduleId)
            .OrderBy(m => m.Id)
            .ToList();

    public async Task<GroupMember?> GetMemberAsync(long id, CancellationToken cancellationToken)
    {
        if (await _groups.GroupOfMemberAsync(id, cancellationToken) is not { } groupId) return null;
        return (await _groups.GetAsync(groupId, cancellationToken))?.Members.Where(m => m.Id == id).Select(m => m with { GroupId = groupId }).FirstOrDefault();
    }

    public async Task<GroupMember> AddMemberAsync(long groupId, long moduleId, int runOrder, CancellationToken cancellationToken)
    {
        // The members there were are read inside the write: a member another request adds at the same time is not this one.
        IReadOnlySet<long> before = new HashSet<long>();
        var saved = await _groups.UpdateAsync(groupId, g =>
        {
            before = g.Members.Select(m => m.Id).ToHashSet();
            return g with { Members = [.. g.Members, new GroupMember(0, moduleId, runOrder)] };
        }, GroupValidator.Validate, cancellationToken) ?? throw new ValidationException("group_id", $"group {groupId} does not exist");
        return saved.Members.Where(m => !before.Contains(m.Id)).Select(m => m with { GroupId = groupId }).Single();
    }

    /// <summary>Changes a member's module and order; null when it does not exist. It cannot move to another group.</summary>
    public async Task<GroupMember?> UpdateMemberAsync(long id, long? groupId, long moduleId, int runOrder, CancellationToken cancellationToken)
    {
        if (await _groups.GroupOfMemberAsync(id, cancellationToken) is not { } current) return null;
        if (groupId is { } wanted && wanted != current)
            throw new ValidationException("group_id", "a member cannot move to another group; delete it and add it there");
        var saved = await UpdateAsync(current, g => g with
        {
            Members = g.Members.Select(m => m.Id == id ? m with { ModuleId = moduleId, RunOrder = runOrder } : m).ToList(),
        }, cancellationToken);
        // Null when another request deleted the member first.
        return saved.Members.Where(m => m.Id == id).Select(m => m with { GroupId = current }).SingleOrDefault();
    }

    public async Task<bool> DeleteMemberAsync(long id, CancellationToken cancellationToken)
    {
        if (await _groups.GroupOfMemberAsync(id, cancellationToken) is not { } groupId) return false;
        await UpdateAsync(groupId, g => g with { Members = g.Members.Where(m => m.Id != id).ToList() }, cancellationToken);
        return true;
    }
}
