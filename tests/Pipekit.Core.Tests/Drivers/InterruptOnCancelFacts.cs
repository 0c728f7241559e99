using System.Data.Common;
using Pipekit.Core.Drivers;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>
/// SQLite's and DuckDB's providers run a statement synchronously and look at the token only before it starts or
/// between rows; the drivers interrupt the connection instead, so a statement that works long before its first
/// row still stops when its operation is cancelled.
/// </summary>
public sealed class InterruptOnCancelFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("sqlite", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c")]
    [InlineData("duckdb", "SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3")]
    public async Task Cancelling_stops_a_statement_that_has_not_produced_a_row_yet(string kind, string slowQuery)
    {
        var driver = DriverRegistry.CreateDefault().Get(kind);
        var url = $"{kind}://{_dir.File(kind + ".db")}";
        await using var connection = await driver.OpenAsync(new ResolvedConnection("slow", kind, url, null, null, null), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        using var interrupt = driver.InterruptOnCancel(connection, cancel.Token);

        // On a pool thread: the provider would run the statement synchronously on this one.
        var query = Task.Run(async () =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = slowQuery;
            return await command.ExecuteScalarAsync(CancellationToken.None);
        });
        await Task.Delay(500);
        await cancel.CancelAsync();

        // A hang guard, not a timing assertion: uninterrupted, either statement runs for minutes or more.
        // SQLite reports an interrupted statement as an error, DuckDB.NET as a cancellation.
        var failure = await Record.ExceptionAsync(() => query.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.True(failure is OperationCanceledException || failure is DbException { Message: var m } && m.Contains("interrupt", StringComparison.OrdinalIgnoreCase),
            $"expected an interrupted statement, got {failure?.GetType().Name ?? "no exception"}: {failure?.Message}");

        // The connection is still usable afterwards.
        await using var next = connection.CreateCommand();
        next.CommandText = "SELECT 41 + 1";
        Assert.Equal(42L, Convert.ToInt64(await next.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
    }
}
