using Pipekit.Core.Validation;
using Pipekit.Sync.Groups;

namespace Pipekit.Server.Api.Contracts;

internal sealed record GroupDto(long Id, string Name, bool StopOnFailure, IReadOnlyList<GroupMemberDto> Members, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static GroupDto From(Group g) => new(g.Id, g.Name, g.StopOnFailure, g.Members.Select(m => GroupMemberDto.From(m with { GroupId = g.Id })).ToList(),
        g.CreatedAt, g.UpdatedAt);
}

/// <summary>Body of group create and update; on update, <c>members</c> when given replaces the list (entries with an <c>id</c> keep their rows).</summary>
internal sealed record GroupInput(string? Name, bool? StopOnFailure, IReadOnlyList<GroupMemberInput>? Members)
{
    public Group ToGroup(Group? current)
    {
        var errors = new ValidationErrors();
        if (current is null && string.IsNullOrWhiteSpace(Name)) errors.Add("name", "is required");
        var members = Members?.Select((m, i) =>
        {
            if (m.ModuleId is null) errors.Add($"members[{i}]", "module_id is required");
            return new GroupMember(m.Id ?? 0, m.ModuleId ?? 0, m.RunOrder ?? i + 1);
        }).ToList();
        errors.ThrowIfAny();
        return new Group
        {
            Id = current?.Id ?? 0,
            Name = Name ?? current!.Name,
            StopOnFailure = StopOnFailure ?? current?.StopOnFailure ?? false,
            Members = members ?? current?.Members ?? [],
        };
    }
}

internal sealed record GroupMemberDto(long Id, long GroupId, long ModuleId, string? ModuleName, int RunOrder)
{
    public static GroupMemberDto From(GroupMember m) => new(m.Id, m.GroupId, m.ModuleId, m.ModuleName, m.RunOrder);
}

/// <summary>A member in a group body, or the body of the group_member resource.</summary>
internal sealed record GroupMemberInput(long? Id, long? GroupId, long? ModuleId, int? RunOrder);
