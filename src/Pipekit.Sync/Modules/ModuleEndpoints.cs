namespace Pipekit.Sync.Modules;

/// <summary>
/// The connections a module reads from and writes to, and its project (whose secrets they resolve against): all a
/// <see cref="Runs.ConnectionWarmup"/> needs to start opening them before the rest of the module is read.
/// </summary>
public sealed record ModuleEndpoints(long SourceConnectionId, long DestConnectionId, string? Project)
{
    /// <summary>The endpoints of a module already loaded.</summary>
    public static ModuleEndpoints Of(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new(module.SourceConnectionId, module.DestConnectionId, module.Project);
    }
}
