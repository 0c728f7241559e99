using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// Where a module stands, as the dashboard counts it and the Modules page filters on it: disabled first (a disabled
/// module's old error is not news), then never run, then its newest run's status. Each has the query value of the
/// Modules page's <c>state</c> filter.
/// </summary>
internal enum ModuleState
{
    Failing,
    Running,
    Succeeded,
    DryRun,
    Cancelled,
    NeverRun,
    Disabled,
}
