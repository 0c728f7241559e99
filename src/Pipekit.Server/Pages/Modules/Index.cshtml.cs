using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary><c>/modules</c>: every module in one flat table, by name.</summary>
internal sealed class IndexModel(TimeProvider time, LatestRuns latest) : PipekitPage(time)
{
    public IReadOnlyList<ModuleRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rows = (await latest.ModulesAsync(ct)).OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new ModuleRow(m, Now)).ToList();
    }
}
