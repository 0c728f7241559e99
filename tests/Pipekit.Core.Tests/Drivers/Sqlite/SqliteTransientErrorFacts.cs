using Microsoft.Data.Sqlite;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Sqlite;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Sqlite;

/// <summary>Which real SQLite errors the driver calls worth a retry, provoked on temp files.</summary>
public sealed class SqliteTransientErrorFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SqliteDriver _driver = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("SELEC 1")]
    [InlineData("SELECT missing FROM t")]
    [InlineData("INSERT INTO t VALUES (1, 0)")]
    [InlineData("INSERT INTO t VALUES (2, NULL)")]
    public async Task Syntax_missing_column_and_constraint_errors_are_terminal(string sql)
    {
        var file = _dir.File("terminal.db");
        await using var db = await OpenAsync(file);
        await ExecuteAsync(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)", "INSERT INTO t VALUES (1, 0)");

        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(db, sql));

        Assert.False(_driver.IsTransient(error));
    }

    [Fact]
    public async Task A_database_another_connection_is_writing_is_busy_and_transient()
    {
        var file = _dir.File("busy.db");
        await using var writer = await OpenAsync(file);
        await using var other = await OpenAsync(file);
        await ExecuteAsync(writer, "CREATE TABLE t (n INTEGER)");

        await using var tx = await writer.BeginTransactionAsync();
        await ExecuteAsync(writer, "INSERT INTO t VALUES (1)");
        // one second of the provider's busy retries, then SQLITE_BUSY
        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(other, "INSERT INTO t VALUES (2)", timeoutSeconds: 1));

        Assert.Equal(5, error.SqliteErrorCode & 0xFF);
        Assert.True(_driver.IsTransient(error));
    }

    private async Task<SqliteConnection> OpenAsync(string file) =>
        (SqliteConnection)await _driver.OpenAsync(new ResolvedConnection("lite", "sqlite", "sqlite://" + file, null, null, null), CancellationToken.None);

    private static Task ExecuteAsync(SqliteConnection db, params string[] statements) => ExecuteAsync(db, statements, 30);

    private static Task ExecuteAsync(SqliteConnection db, string sql, int timeoutSeconds) => ExecuteAsync(db, [sql], timeoutSeconds);

    private static async Task ExecuteAsync(SqliteConnection db, string[] statements, int timeoutSeconds)
    {
        foreach (var sql in statements)
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = timeoutSeconds;
            await command.ExecuteNonQueryAsync();
        }
    }
}
