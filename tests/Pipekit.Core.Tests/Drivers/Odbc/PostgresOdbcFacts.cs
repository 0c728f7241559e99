using System.Data;
using System.Diagnostics;
using Npgsql;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Pipekit.Core.Drivers.Odbc;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>
/// The ODBC layer against PostgreSQL's psqlodbc driver on the throwaway cluster. BoolsAsChar=0 makes
/// psqlodbc describe booleans as SQL_BIT instead of its default of text.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOdbcFacts(PostgresFixture postgres)
{
    private const string Password = "n0t-a-real;p@ss}word";

    [PostgresOdbcFact]
    public async Task Values_of_every_type_are_read_back_exactly()
    {
        await using var connection = await OpenAsync();
        await SqliteOdbcFacts.ExecuteAsync(connection, """
            CREATE TABLE every_type (
              id int, amount numeric(15,4), at timestamp, on_day date, flag bool, key uuid, blob bytea, note text, ratio float8, big bigint)
            """);
        var at = new DateTime(2024, 2, 29, 23, 59, 58, 123).AddTicks(4560);
        var key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var blob = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        await SqliteOdbcFacts.ExecuteAsync(connection, "INSERT INTO every_type VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            1, 12345678901.2345m, at, new DateOnly(2024, 2, 29), true, key, blob, "𝄞 clef and 😀", 0.1d, long.MinValue);
        await SqliteOdbcFacts.ExecuteAsync(connection,
            "INSERT INTO every_type VALUES (2, -0.0001, '1999-12-31 00:00:00', '0001-01-01', false, NULL, '\\x', '', NULL, 0)");

        await using var command = new OdbcNativeCommand("SELECT amount, at, on_day, flag, key, blob, note, ratio, big FROM every_type ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(
            [typeof(decimal), typeof(DateTime), typeof(DateTime), typeof(bool), typeof(Guid), typeof(byte[]), typeof(string), typeof(double), typeof(long)],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType));
        Assert.Equal(["numeric", "uuid", "bytea"], [reader.GetDataTypeName(0), reader.GetDataTypeName(4), reader.GetDataTypeName(5)]);

        Assert.True(await reader.ReadAsync());
        Assert.Equal(12345678901.2345m, reader.GetDecimal(0));
        Assert.Equal(at, reader.GetDateTime(1));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(2));
        Assert.True(reader.GetBoolean(3));
        Assert.Equal(key, reader.GetGuid(4));
        Assert.Equal(blob, (byte[])reader.GetValue(5));
        Assert.Equal("𝄞 clef and 😀", reader.GetString(6));
        Assert.Equal(0.1d, reader.GetDouble(7));
        Assert.Equal(long.MinValue, reader.GetInt64(8));

        Assert.True(await reader.ReadAsync());
        Assert.Equal(-0.0001m, reader.GetDecimal(0));
        Assert.Equal("-0.0001", reader.GetDecimal(0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTime(1999, 12, 31), reader.GetDateTime(1));
        Assert.Equal(new DateTime(1, 1, 1), reader.GetDateTime(2));
        Assert.False(reader.GetBoolean(3));
        Assert.True(reader.IsDBNull(4));
        Assert.Empty((byte[])reader.GetValue(5));
        Assert.Equal("", reader.GetValue(6));
        Assert.False(reader.IsDBNull(6));
        Assert.True(reader.IsDBNull(7));
        Assert.False(await reader.ReadAsync());
    }

    [PostgresOdbcFact]
    public async Task Numeric_at_full_precision_keeps_every_digit()
    {
        await using var connection = await OpenAsync();
        await using var command = new OdbcNativeCommand("SELECT CAST(? AS numeric(28,10)), CAST('99999999999.9999' AS numeric(15,4))", connection);
        command.Parameters.AddWithValue(123456789012345678.0123456789m);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(123456789012345678.0123456789m, reader.GetDecimal(0));
        Assert.Equal(99999999999.9999m, reader.GetDecimal(1));
    }

    [PostgresOdbcFact]
    public async Task Long_text_arrives_whole_across_read_chunks()
    {
        await using var connection = await OpenAsync();
        var text = "é" + string.Concat(Enumerable.Repeat("ab😀", 30_000));
        await using var command = new OdbcNativeCommand("SELECT CAST(? AS text)", connection);
        command.Parameters.AddWithValue(text);
        Assert.Equal(text, await command.ExecuteScalarAsync());
    }

    [PostgresOdbcFact]
    public async Task Cancelling_a_long_query_returns_promptly()
    {
        await using var connection = await OpenAsync();
        await using var command = new OdbcNativeCommand("SELECT pg_sleep(30)", connection);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cancellation.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        await using var after = new OdbcNativeCommand("SELECT 1", connection);
        Assert.Equal(1, Convert.ToInt32(await after.ExecuteScalarAsync()));
    }

    [PostgresOdbcFact]
    public async Task An_error_names_its_sqlstate_and_never_the_password()
    {
        await using var connection = await OpenAsync();
        await using var command = new OdbcNativeCommand($"SELECT * FROM \"{Password}\"", connection);

        var error = await Assert.ThrowsAsync<OdbcNativeException>(() => command.ExecuteReaderAsync());

        Assert.Equal("42P01", error.SqlState);
        Assert.StartsWith("42P01: ", error.Message);
        Assert.DoesNotContain(Password, error.ToString());
        Assert.DoesNotContain("\n", error.Message);
    }

    [PostgresOdbcFact]
    public async Task A_failed_connection_names_its_sqlstate_and_never_the_password()
    {
        var connectionString = await ConnectionStringAsync();
        await using var connection = new OdbcNativeConnection(connectionString.Replace("Database=", "Database=missing_", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<OdbcNativeException>(() => connection.OpenAsync());

        Assert.Matches("^[0-9A-Z]{5}: ", error.Message);
        Assert.Contains("missing_", error.Message);
        Assert.DoesNotContain(Password, error.ToString());
    }

    [PostgresOdbcFact]
    public async Task A_rolled_back_transaction_leaves_nothing_and_a_committed_one_stays()
    {
        await using var connection = await OpenAsync();
        await SqliteOdbcFacts.ExecuteAsync(connection, "CREATE TABLE tx (n int)");
        await using (var rolledBack = connection.BeginTransaction())
        {
            await SqliteOdbcFacts.ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 1);
            await rolledBack.RollbackAsync();
        }
        await using (var committed = connection.BeginTransaction(IsolationLevel.Serializable))
        {
            await SqliteOdbcFacts.ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 2);
            await committed.CommitAsync();
        }

        await using var check = new NpgsqlConnection(await NpgsqlStringOfAsync(connection));
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT string_agg(n::text, ',') FROM tx", check);
        Assert.Equal("2", await count.ExecuteScalarAsync());
    }

    [PostgresOdbcFact]
    public async Task The_bulk_writer_loads_through_the_driver_and_names_a_failing_row()
    {
        var driver = new OdbcDriver([new Db2iDialect()]);
        var url = "odbc:" + (await ConnectionStringAsync()).Replace($";UID=postgres;PWD={{{Password.Replace("}", "}}")}}}", "", StringComparison.Ordinal);
        await using var connection = await driver.OpenAsync(new ResolvedConnection("pg", "odbc", url, "postgres", Password, "db2i"), default);
        await SqliteOdbcFacts.ExecuteAsync((OdbcNativeConnection)connection, "CREATE TABLE target (id int, amount numeric(15,4) NOT NULL)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("amount", typeof(decimal));
        for (var i = 1; i <= 2_500; i++) source.Rows.Add(i, i == 2_400 ? DBNull.Value : i / 4m);
        var target = new BulkWriteTarget(new TableName("target", "public"), ["id", "amount"]);

        await using (var failing = driver.CreateBulkWriter(connection, target))
        {
            var error = await Assert.ThrowsAsync<DriverException>(() => failing.WriteAsync(source.CreateDataReader(), null, default));
            Assert.StartsWith("row 2400, column \"amount\": 23502: ", error.Message);
        }
        source.Rows[2_399]["amount"] = 0m;
        await using (var writer = driver.CreateBulkWriter(connection, target))
        {
            Assert.Equal(2_500, await writer.WriteAsync(source.CreateDataReader(), null, default));
            await writer.CompleteAsync(default);
        }

        await using var sum = new OdbcNativeCommand("SELECT count(*), sum(amount) FROM target", (OdbcNativeConnection)connection);
        await using var reader = await sum.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2_500L, reader.GetInt64(0));
        Assert.Equal(Enumerable.Range(1, 2_500).Where(i => i != 2_400).Sum(i => i / 4m), reader.GetDecimal(1));
    }

    [PostgresOdbcFact]
    public async Task Several_statements_give_several_results_and_add_up_their_row_counts()
    {
        await using var connection = await OpenAsync();
        await SqliteOdbcFacts.ExecuteAsync(connection, "CREATE TABLE multi (n int)");

        await using (var command = new OdbcNativeCommand("INSERT INTO multi VALUES (1), (2); SELECT n FROM multi ORDER BY n; SELECT 'two'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1, reader.GetInt32(0));
            Assert.True(await reader.ReadAsync());
            Assert.False(await reader.ReadAsync());
            Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal("two", reader.GetString(0));
            Assert.False(await reader.NextResultAsync());
            Assert.Equal(2, reader.RecordsAffected);
        }

        Assert.Equal(3, await SqliteOdbcFacts.ExecuteAsync(connection, "UPDATE multi SET n = n + 1; DELETE FROM multi WHERE n = 3"));
    }

    private async Task<OdbcNativeConnection> OpenAsync()
    {
        var connection = new OdbcNativeConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A psqlodbc connection string for a fresh database; trust auth ignores the password, which is there to be kept secret.</summary>
    private async Task<string> ConnectionStringAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(await postgres.NewDatabaseAsync()).Database;
        return $"Driver={OdbcTestDrivers.Postgres};Server=127.0.0.1;Port={postgres.Cluster.Port};Database={database};BoolsAsChar=0;" +
               $"UID=postgres;PWD={OdbcConnectionString.QuoteValue(Password)}";
    }

    private Task<string> NpgsqlStringOfAsync(OdbcNativeConnection connection) =>
        Task.FromResult(postgres.Cluster.ConnectionString(connection.Database));
}
