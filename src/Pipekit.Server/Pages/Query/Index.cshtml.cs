using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;

namespace Pipekit.Server.Pages.Query;

/// <summary>
/// <c>/query</c>: the SQL console. A form POST runs the SQL through the same engine, sandbox and row cap as
/// <c>POST /sql</c> and renders the result table; with htmx only the result swaps in. The sidebar lists the datasets
/// with their status and columns; downloads stream through the same encoders as the API.
/// </summary>
internal sealed class IndexModel(TimeProvider time, QueryEngine engine, IDatasetStore datasets, Redactor redactor) : PipekitPage(time)
{
    [BindProperty]
    public string Sql { get; set; } = "";

    public IReadOnlyList<Dataset> Datasets { get; private set; } = [];

    /// <summary>Each queryable dataset's columns (name, DuckDB type), from the engine's own catalog.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> Columns { get; private set; } =
        new Dictionary<string, IReadOnlyList<(string Name, string Type)>>();

    public ConsoleResult? Result { get; private set; }

    public long MaxRows => engine.Settings.MaxRows;

    public async Task OnGetAsync(string? sql, CancellationToken ct)
    {
        Sql = sql ?? "";
        await LoadSidebarAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Result = await RunAsync(Sql, ct);
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_Result", this);
        await LoadSidebarAsync(ct);
        return Page();
    }

    /// <summary>The SQL's result as a file (CSV or NDJSON), streamed as POST /sql streams it, cut at the same row cap.</summary>
    public async Task<IActionResult> OnPostDownloadAsync(string format, CancellationToken ct)
    {
        var kind = format switch
        {
            "csv" => ResultFormat.Csv,
            "ndjson" => ResultFormat.Ndjson,
            _ => (ResultFormat?)null,
        };
        if (kind is null) return BadRequest($"unknown download format '{format}': use csv or ndjson");
        if (string.IsNullOrWhiteSpace(Sql))
        {
            Result = new ConsoleResult(null, 0, "the SQL is empty: write a query first");
            await LoadSidebarAsync(ct);
            return Page();
        }
        try
        {
            var cursor = await engine.OpenAsync(Sql, ct);
            return new QueryDownload(cursor, kind.Value, MaxRows, redactor, "result." + format);
        }
        catch (Exception e) when (e is QueryException or QueryTimeoutException or QueryBusyException)
        {
            Result = new ConsoleResult(null, 0, FirstLine(e.Message));
            await LoadSidebarAsync(ct);
            return Page();
        }
    }

    private async Task<ConsoleResult> RunAsync(string sql, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (string.IsNullOrWhiteSpace(sql)) return new ConsoleResult(null, 0, "the SQL is empty: write a query, then Run (Ctrl+Enter)");
        try
        {
            await using var cursor = await engine.OpenAsync(sql, ct);
            var grid = ResultGrid.Read(cursor, MaxRows, redactor, ct);
            return new ConsoleResult(grid, (long)clock.Elapsed.TotalMilliseconds, null);
        }
        catch (Exception e) when (e is QueryException or QueryTimeoutException or QueryBusyException)
        {
            return new ConsoleResult(null, (long)clock.Elapsed.TotalMilliseconds, FirstLine(e.Message));
        }
    }

    private async Task LoadSidebarAsync(CancellationToken ct)
    {
        Datasets = await datasets.ListAsync(ct);
        var columns = new Dictionary<string, IReadOnlyList<(string, string)>>(StringComparer.Ordinal);
        try
        {
            await using var cursor = await engine.OpenAsync(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position", ct);
            var grid = ResultGrid.Read(cursor, 100_000, redactor, ct);
            foreach (var table in grid.Rows.GroupBy(r => r[0]!))
                columns[table.Key] = table.Select(r => (r[1]!, r[2]!)).ToList();
        }
        catch (Exception e) when (e is QueryException or QueryTimeoutException or QueryBusyException)
        {
            // The sidebar is help, not the page: without columns the datasets are still listed.
        }
        Columns = columns;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
