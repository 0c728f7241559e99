using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// One keyset page of the Modules page: its rows, the position of its first row among <paramref name="Total"/>
/// matching modules (0-based), and whether modules come before and after it.
/// </summary>
internal sealed record ModulePage(IReadOnlyList<ModuleStatus> Rows, int Offset, int Total, bool HasEarlier, bool HasLater);
