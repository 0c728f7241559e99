using System.Data.Common;
using Dapper;
using Pipekit.Core.State;

namespace Pipekit.Sync.Groups;

/// <summary>The group aggregate: a <c>grp</c> row and its <c>group_member</c> rows, saved together.</summary>
public sealed class GroupRepository
{
    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public GroupRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<IReadOnlyList<Group>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var groups = await c.QueryAsync<GroupRow>(new CommandDefinition("SELECT id, name, stop_on_failure, created_at, updated_at FROM grp ORDER BY name", cancellationToken: cancellationToken));
        var members = (await c.QueryAsync<MemberRow>(new CommandDefinition(
            "SELECT gm.id, gm.group_id, gm.module_id, gm.run_order, m.name FROM group_member gm JOIN module m ON m.id = gm.module_id ORDER BY gm.run_order, gm.id",
            cancellationToken: cancellationToken))).ToLookup(m => m.group_id);
        return groups.Select(g => g.ToGroup(members[g.id])).ToList();
    }

    public async Task<Group?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(g => g.Id == id);

    public async Task<Group?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(g => g.Name == name);

    /// <summary>Inserts or replaces a group (by id, else by name) with its members in one transaction (applying a module file).</summary>
    public async Task<Group> SaveAsync(Group group, CancellationToken cancellationToken) =>
        await _store.WriteAsync((c, tx) => WriteAsync(c, tx, group, matchByName: true, cancellationToken), cancellationToken);

    /// <summary>
    /// Inserts a new group, never replacing one: a taken name is a <see cref="GroupNameTakenException"/> whichever of two
    /// racing creates commits first. <paramref name="validate"/> runs inside the write with the member modules that exist
    /// then (kept from being deleted until commit).
    /// </summary>
    public async Task<Group> InsertAsync(Group group, Action<Group, IReadOnlySet<long>> validate, CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var draft = group with { Id = 0 };
            validate(draft, await ExistingModulesAsync(c, tx, draft, cancellationToken));
            return await WriteAsync(c, tx, draft, matchByName: false, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Reads group <paramref name="id"/>, applies <paramref name="change"/>, validates and writes the result in one
    /// transaction holding the group's row, so concurrent changes of a group both land. Null when it does not exist.
    /// </summary>
    public async Task<Group?> UpdateAsync(long id, Func<Group, Group> change, Action<Group, IReadOnlySet<long>> validate, CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var current = await LoadAsync(c, tx, id, _store.LockForUpdate, cancellationToken);
            if (current is null) return null;
            var group = change(current) with { Id = id };
            validate(group, await ExistingModulesAsync(c, tx, group, cancellationToken));
            return await WriteAsync(c, tx, group, matchByName: false, cancellationToken);
        }, cancellationToken);

    private async Task<IReadOnlySet<long>> ExistingModulesAsync(DbConnection c, DbTransaction tx, Group group, CancellationToken ct)
    {
        var named = group.Members.Select(m => m.ModuleId).Distinct().ToArray();
        if (named.Length == 0) return new HashSet<long>();
        return (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM module WHERE {_store.In("id", "@named")}{_store.LockKeys}", new { named }, tx, cancellationToken: ct))).ToHashSet();
    }

    private static async Task<Group?> LoadAsync(DbConnection c, DbTransaction? tx, long id, string locking, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<GroupRow>(new CommandDefinition(
            $"SELECT id, name, stop_on_failure, created_at, updated_at FROM grp WHERE id = @id{locking}", new { id }, tx, cancellationToken: ct));
        if (row is null) return null;
        var members = await c.QueryAsync<MemberRow>(new CommandDefinition(
            "SELECT gm.id, gm.group_id, gm.module_id, gm.run_order, m.name FROM group_member gm JOIN module m ON m.id = gm.module_id WHERE gm.group_id = @id ORDER BY gm.run_order, gm.id",
            new { id }, tx, cancellationToken: ct));
        return row.ToGroup(members);
    }

    /// <summary>Inserts or replaces a group (by id, else by name) inside a shared transaction; returns its id.</summary>
    public async Task<long> SaveAsync(Group group, StateTransaction transaction, CancellationToken cancellationToken) =>
        (await WriteAsync(transaction.Connection, transaction.Transaction, group, matchByName: true, cancellationToken)).Id;

    /// <summary>Deletes a group inside a shared transaction; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM grp WHERE id = @id", new { id }, transaction.Transaction, cancellationToken: cancellationToken)) > 0;

    private async Task<Group> WriteAsync(DbConnection c, DbTransaction tx, Group group, bool matchByName, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(_time.GetUtcNow());
        var id = group.Id != 0 || !matchByName ? group.Id
            : await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM grp WHERE name = @Name", new { group.Name }, tx, cancellationToken: cancellationToken)) ?? 0;
        try
        {
            if (id == 0)
                id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO grp (name, stop_on_failure, created_at, updated_at) VALUES (@Name, @Stop, @now, @now) RETURNING id",
                    new { group.Name, Stop = group.StopOnFailure ? 1 : 0, now }, tx, cancellationToken: cancellationToken));
            else
            {
                // Members keep their ids across a save (the API addresses them by id): listed ones are updated in place.
                if (await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE grp SET name = @Name, stop_on_failure = @Stop, updated_at = @now WHERE id = @id",
                        new { id, group.Name, Stop = group.StopOnFailure ? 1 : 0, now }, tx, cancellationToken: cancellationToken)) == 0)
                    throw new GroupNotFoundException($"with id {id} (it was deleted)");
                await c.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM group_member WHERE group_id = @id AND NOT ({_store.In("id", "@kept")})",
                    new { id, kept = group.Members.Where(m => m.Id != 0).Select(m => m.Id).ToArray() }, tx, cancellationToken: cancellationToken));
            }
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "grp"))
        {
            throw new GroupNameTakenException(group.Name);
        }
        try
        {
            foreach (var m in group.Members)
            {
                var args = new { GroupId = id, m.Id, m.ModuleId, m.RunOrder };
                if (m.Id != 0 && await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE group_member SET module_id = @ModuleId, run_order = @RunOrder WHERE id = @Id AND group_id = @GroupId",
                        args, tx, cancellationToken: cancellationToken)) == 1)
                    continue;
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO group_member (group_id, module_id, run_order) VALUES (@GroupId, @ModuleId, @RunOrder)",
                    args, tx, cancellationToken: cancellationToken));
            }
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw new Pipekit.Core.Validation.ValidationException("module_id", "a member names a module that does not exist (it may have just been deleted)");
        }
        return (await LoadAsync(c, tx, id, "", cancellationToken))!;
    }

    /// <summary>The group a member row belongs to, or null when there is no such member.</summary>
    public async Task<long?> GroupOfMemberAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT group_id FROM group_member WHERE id = @memberId", new { memberId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM grp WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

#pragma warning disable IDE1006
    private sealed record GroupRow(long id, string name, long stop_on_failure, string created_at, string updated_at)
    {
        public Group ToGroup(IEnumerable<MemberRow> members) => new()
        {
            Id = id, Name = name, StopOnFailure = stop_on_failure != 0, CreatedAt = StateClock.Parse(created_at), UpdatedAt = StateClock.Parse(updated_at),
            Members = members.Select(m => new GroupMember(m.id, m.module_id, (int)m.run_order, m.name) { GroupId = id }).ToList(),
        };
    }

    private sealed record MemberRow(long id, long group_id, long module_id, long run_order, string name);
#pragma warning restore IDE1006
}
