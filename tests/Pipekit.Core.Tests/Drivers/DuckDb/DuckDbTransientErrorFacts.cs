using DuckDB.NET.Data;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.DuckDb;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.DuckDb;

/// <summary>Which real DuckDB errors the driver calls worth a retry, provoked on temp files.</summary>
public sealed class DuckDbTransientErrorFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DuckDbDriver _driver = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("SELEC 1")]
    [InlineData("SELECT missing FROM t")]
    [InlineData("INSERT INTO t VALUES (1, 0)")]
    [InlineData("INSERT INTO t VALUES (2, NULL)")]
    [InlineData("SELECT CAST('x' AS INTEGER)")]
    public async Task Syntax_missing_column_constraint_and_conversion_errors_are_terminal(string sql)
    {
        await using var db = await OpenAsync(_dir.File("terminal.duckdb"));
        await ExecuteAsync(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)", "INSERT INTO t VALUES (1, 0)");

        var error = await Assert.ThrowsAsync<DuckDBException>(() => ExecuteAsync(db, sql));

        Assert.False(_driver.IsTransient(error), $"{error.ErrorType}: {error.Message}");
    }

    [Fact]
    public async Task A_write_conflict_between_two_transactions_is_transient()
    {
        var file = _dir.File("conflict.duckdb");
        await using var a = await OpenAsync(file);
        await using var b = await OpenAsync(file);
        await ExecuteAsync(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO t VALUES (1, 0)");

        await using var txA = await a.BeginTransactionAsync();
        await using var txB = await b.BeginTransactionAsync();
        await ExecuteAsync(a, "UPDATE t SET n = 1 WHERE id = 1");
        var error = await Assert.ThrowsAsync<DuckDBException>(() => ExecuteAsync(b, "UPDATE t SET n = 2 WHERE id = 1"));

        Assert.True(_driver.IsTransient(error), $"{error.ErrorType}: {error.Message}");
    }

    private async Task<DuckDBConnection> OpenAsync(string file) =>
        (DuckDBConnection)await _driver.OpenAsync(new ResolvedConnection("duck", "duckdb", "duckdb://" + file, null, null, null), CancellationToken.None);

    private static async Task ExecuteAsync(DuckDBConnection db, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
