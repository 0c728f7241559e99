using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>A module as the dashboard lists it: what it is, and its newest run (summary, error cut to its start).</summary>
public sealed record ModuleStatus(long ModuleId, string Name, long SourceConnectionId, string DestTable, MergeStrategy Strategy, bool Enabled,
    RunLogEntry? Last);
