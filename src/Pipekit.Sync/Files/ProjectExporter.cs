using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Files;

/// <summary>
/// Writes the whole Sync state as one project file (<c>pipekit export</c>, <c>GET /api/export</c>): connections, modules,
/// groups and their schedules. Applying what it writes changes nothing.
/// </summary>
public sealed class ProjectExporter
{
    private readonly ConnectionRepository _connections;
    private readonly ModuleRepository _modules;
    private readonly GroupRepository _groups;
    private readonly ScheduleRepository _schedules;

    public ProjectExporter(ConnectionRepository connections, ModuleRepository modules, GroupRepository groups, ScheduleRepository schedules)
    {
        _connections = connections;
        _modules = modules;
        _groups = groups;
        _schedules = schedules;
    }

    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        var connections = await _connections.ListAsync(cancellationToken);
        return SyncFileWriter.Write(connections, await _modules.ListAsync(cancellationToken), await _groups.ListAsync(cancellationToken),
            await _schedules.ListAsync(GroupScheduleTarget.KindName, null, null, cancellationToken), connections.ToDictionary(c => c.Id));
    }
}
