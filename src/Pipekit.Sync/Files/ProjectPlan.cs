using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Files;

/// <summary>
/// What applying a set of project files takes: the records to write and the ids to remove, all validated. New
/// connections carry negative placeholder ids until they are inserted; modules refer to them by those ids.
/// </summary>
internal sealed class ProjectPlan
{
    public List<ApplyChange> Changes { get; } = [];

    /// <summary>Declared connections to insert (Id &lt; 0, the placeholder) or update (Id &gt; 0); default destinations may be placeholders.</summary>
    public List<ConnectionRecord> ConnectionWrites { get; } = [];

    public List<Module> ModuleWrites { get; } = [];

    /// <summary>Groups to save, their members named by module.</summary>
    public List<(Group Group, IReadOnlyList<string> Members)> GroupWrites { get; } = [];

    /// <summary>Schedules to insert (Id 0) or update, for the group of that name.</summary>
    public List<(Schedule Schedule, string Group)> ScheduleWrites { get; } = [];

    public List<long> ScheduleRemovals { get; } = [];

    public List<long> GroupRemovals { get; } = [];

    public List<(long Id, string Name)> ModuleRemovals { get; } = [];

    public List<long> ConnectionRemovals { get; } = [];

    /// <summary>Ids of the modules that stay, by name (existing ones; new ones get theirs when saved).</summary>
    public Dictionary<string, long> ModuleIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of the groups that stay, by name.</summary>
    public Dictionary<string, long> GroupIds { get; } = new(StringComparer.Ordinal);

    public bool ChangesAnything => Changes.Any(c => c.Action != ApplyAction.Unchanged);
}
