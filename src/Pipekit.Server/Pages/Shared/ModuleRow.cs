using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Shared;

/// <summary>One module line of the dashboard and the module list: the module, its newest run, and the render clock.</summary>
internal sealed record ModuleRow(Module Module, RunLogEntry? Last, DateTimeOffset Now)
{
    public bool Active => Last is { Status: RunStatus.Running or RunStatus.Queued };
}
