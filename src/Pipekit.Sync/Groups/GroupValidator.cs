using Pipekit.Core.Validation;

namespace Pipekit.Sync.Groups;

/// <summary>
/// Save-time checks of a group, shared by the editor (API, CLI, UI) and module files: a name a person can read back,
/// members that exist, and each module once.
/// </summary>
public static class GroupValidator
{
    public const int MaxNameLength = 100;

    public static void Validate(Group group, IReadOnlySet<long> moduleIds)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(moduleIds);
        var errors = new ValidationErrors();
        if (NameProblem(group.Name) is { } problem) errors.Add("name", problem);
        foreach (var missing in group.Members.Where(m => !moduleIds.Contains(m.ModuleId)))
            errors.Add("module_id", $"module {missing.ModuleId} does not exist");
        foreach (var twice in group.Members.GroupBy(m => m.ModuleId).Where(g => g.Count() > 1))
            errors.Add("members", $"module {twice.Key} is in the group {twice.Count()} times; a module is a member once");
        errors.ThrowIfAny();
    }

    /// <summary>What is wrong with a group name, or null: a name people type on the command line and in module files.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Trim() != name
        || !name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '_' or '-' or '.') || name.StartsWith('.') || name.Contains("..", StringComparison.Ordinal)
            ? $"must be 1-{MaxNameLength} letters, digits, spaces, '_', '-' or '.', without leading or trailing spaces, not starting with '.' nor holding '..'"
            : null;
}
