namespace Pipekit.Sync.Modules;

/// <summary>
/// The connections a module reads from and writes to, and its project (whose secrets they resolve against): all a
/// <see cref="Runs.ConnectionWarmup"/> needs to start opening them before the rest of the module is read.
/// </summary>
public sealed record ModuleEndpoints(long SourceConnectionId, long DestConnectionId, string? Project);
