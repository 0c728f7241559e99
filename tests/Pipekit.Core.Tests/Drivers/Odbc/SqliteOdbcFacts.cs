using System.Data;
using System.Data.Common;
using Pipekit.Core.Drivers.Odbc;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>The ODBC layer against a real driver: SQLite's libsqlite3odbc on a temp file.</summary>
public sealed class SqliteOdbcFacts : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string ConnectionString => $"Driver={OdbcTestDrivers.Sqlite};Database={_directory.File("test.db")}";

    public void Dispose() => _directory.Dispose();

    [SqliteOdbcFact]
    public async Task A_connection_opens_and_reports_the_engine()
    {
        await using var connection = await OpenAsync();
        Assert.Equal(ConnectionState.Open, connection.State);
        Assert.Equal("SQLite", connection.DbmsName);
        Assert.StartsWith("3.", connection.ServerVersion);
    }

    [SqliteOdbcFact]
    public async Task An_open_connection_shows_its_connection_string_with_the_password_masked()
    {
        await using var connection = new OdbcNativeConnection(ConnectionString + ";PWD=hunter2");
        Assert.Contains("PWD=hunter2", connection.ConnectionString);
        await connection.OpenAsync();
        Assert.Contains("PWD=***", connection.ConnectionString);
        Assert.DoesNotContain("hunter2", connection.ConnectionString);
    }

    [SqliteOdbcFact]
    public async Task Parameters_of_every_type_are_read_back_with_their_types()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, """
            CREATE TABLE every_type (
              i INTEGER, l BIGINT, m DECIMAL(15,4), f DOUBLE, s VARCHAR(100), ts TIMESTAMP, d DATE,
              b BIT, bin BLOB, g VARCHAR(36))
            """);
        var when = new DateTime(2024, 2, 29, 13, 45, 7, 123);
        var guid = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        await ExecuteAsync(connection, "INSERT INTO every_type VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            42, 9_000_000_000L, 12345678901.2345m, 2.5d, "héllo", when, new DateOnly(1999, 12, 31), true, new byte[] { 0, 1, 254, 255 }, guid);

        await using var command = new OdbcNativeCommand("SELECT i, l, m, f, s, ts, d, b, bin, g FROM every_type", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(42, reader.GetInt32(0));
        Assert.Equal(9_000_000_000L, reader.GetInt64(1));
        Assert.Equal(12345678901.2345m, reader.GetDecimal(2));
        Assert.Equal(2.5d, reader.GetDouble(3));
        Assert.Equal("héllo", reader.GetString(4));
        Assert.Equal(when, reader.GetDateTime(5));
        Assert.Equal(new DateOnly(1999, 12, 31), reader.GetFieldValue<DateOnly>(6));
        Assert.True(reader.GetBoolean(7));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, reader.GetFieldValue<byte[]>(8));
        Assert.Equal(guid, reader.GetGuid(9));
        // SQLite's driver describes DECIMAL columns as text; GetDecimal above still parses them exactly
        Assert.Equal(
            [typeof(int), typeof(long), typeof(string), typeof(double), typeof(string), typeof(DateTime), typeof(DateTime), typeof(bool), typeof(byte[]), typeof(string)],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType));
        Assert.False(await reader.ReadAsync());
    }

    [SqliteOdbcFact]
    public async Task Nulls_of_every_type_come_back_as_DBNull()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE nulls (i INTEGER, m DECIMAL(15,4), f DOUBLE, s VARCHAR(10), ts TIMESTAMP, d DATE, b BIT, bin BLOB)");
        await ExecuteAsync(connection, "INSERT INTO nulls VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [.. Enumerable.Repeat<object?>(DBNull.Value, 8)]);

        await using var command = new OdbcNativeCommand("SELECT * FROM nulls", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.True(await reader.IsDBNullAsync(i), reader.GetName(i));
            Assert.Same(DBNull.Value, reader.GetValue(i));
        }
    }

    [SqliteOdbcFact]
    public async Task Unicode_text_with_an_emoji_survives_even_across_read_chunks()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE texts (id INTEGER, s TEXT)");
        var shortText = "Grüße 👋 from 東京";
        // odd length so the emoji's surrogate pair straddles the 16 KiB read chunks
        var longText = "x" + string.Concat(Enumerable.Repeat("ab😀", 20_000));
        await ExecuteAsync(connection, "INSERT INTO texts VALUES (?, ?)", 1, shortText);
        await ExecuteAsync(connection, "INSERT INTO texts VALUES (?, ?)", 2, longText);
        await ExecuteAsync(connection, "INSERT INTO texts VALUES (?, ?)", 3, "");

        await using var command = new OdbcNativeCommand("SELECT s FROM texts ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync()) values.Add(reader.GetValue(0));
        Assert.Equal([shortText, longText, ""], values);
    }

    [SqliteOdbcFact]
    public async Task Binary_larger_than_one_read_chunk_round_trips()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE blobs (b BLOB)");
        var bytes = Enumerable.Range(0, 100_003).Select(i => (byte)(i * 7)).ToArray();
        await ExecuteAsync(connection, "INSERT INTO blobs VALUES (?)", bytes);

        await using var command = new OdbcNativeCommand("SELECT b FROM blobs", connection);
        Assert.Equal(bytes, await command.ExecuteScalarAsync());
    }

    [SqliteOdbcFact]
    public async Task ExecuteNonQuery_returns_the_rows_affected()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE counted (n INTEGER)");
        for (var i = 0; i < 5; i++) await ExecuteAsync(connection, "INSERT INTO counted VALUES (?)", i);

        Assert.Equal(3, await ExecuteAsync(connection, "UPDATE counted SET n = n + 10 WHERE n < ?", 3));
        Assert.Equal(0, await ExecuteAsync(connection, "DELETE FROM counted WHERE n > ?", 100));
    }

    [SqliteOdbcFact]
    public async Task Column_names_and_type_names_describe_the_result()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE described (\"DCORD#\" INTEGER NOT NULL, name VARCHAR(10))");
        await using var command = new OdbcNativeCommand("SELECT \"DCORD#\", name FROM described", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.Equal(["DCORD#", "name"], [reader.GetName(0), reader.GetName(1)]);
        Assert.Equal(1, reader.GetOrdinal("NAME"));
        Assert.Equal(["INTEGER", "VARCHAR"], [reader.GetDataTypeName(0), reader.GetDataTypeName(1)]);
        var schema = reader.GetColumnSchema();
        Assert.Equal(typeof(int), schema[0].DataType);
        Assert.Equal(10, schema[1].ColumnSize);
        Assert.False(reader.HasRows);
    }

    [SqliteOdbcFact]
    public async Task A_rolled_back_transaction_leaves_nothing_behind()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE tx (n INTEGER)");

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 1);
            await ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 2);
            await transaction.RollbackAsync();
        }
        await using (var disposed = connection.BeginTransaction())
        {
            await ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 3);
        }

        await using var command = new OdbcNativeCommand("SELECT COUNT(*) FROM tx", connection);
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync()));
    }

    [SqliteOdbcFact]
    public async Task A_committed_transaction_is_visible_to_a_second_connection()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE tx (n INTEGER)");
        await using (var transaction = connection.BeginTransaction())
        {
            await ExecuteAsync(connection, "INSERT INTO tx VALUES (?)", 7);
            await transaction.CommitAsync();
        }

        await using var other = await OpenAsync();
        await using var command = new OdbcNativeCommand("SELECT n FROM tx", other);
        Assert.Equal(7, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }

    [SqliteOdbcFact]
    public async Task A_driver_error_carries_the_sqlstate_and_the_drivers_message()
    {
        await using var connection = await OpenAsync();
        await using var command = new OdbcNativeCommand("SELECT * FROM no_such_table", connection);

        var error = await Assert.ThrowsAsync<OdbcNativeException>(() => command.ExecuteReaderAsync());
        Assert.Matches("^[0-9A-Z]{5}$", error.SqlState);
        Assert.StartsWith(error.SqlState + ": ", error.Message);
        Assert.Contains("no_such_table", error.Message);
    }

    [SqliteOdbcFact]
    public async Task A_prepared_command_runs_again_with_new_values()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE prepared (n INTEGER, s TEXT)");
        await using var insert = new OdbcNativeCommand("INSERT INTO prepared VALUES (?, ?)", connection);
        var n = insert.Parameters.AddWithValue(0);
        var s = insert.Parameters.AddWithValue("");
        insert.Prepare();
        for (var i = 1; i <= 3; i++)
        {
            n.Value = i;
            s.Value = new string('z', i);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var sum = new OdbcNativeCommand("SELECT SUM(n), GROUP_CONCAT(s, ',') FROM prepared", connection);
        await using var reader = await sum.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(6L, Convert.ToInt64(reader.GetValue(0)));
        Assert.Equal("z,zz,zzz", reader.GetString(1));
    }

    [SqliteOdbcFact]
    public async Task HasRows_is_known_before_the_first_read_without_losing_that_row()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE rows (n INTEGER)");
        await ExecuteAsync(connection, "INSERT INTO rows VALUES (?)", 1);
        await ExecuteAsync(connection, "INSERT INTO rows VALUES (?)", 2);

        await using var command = new OdbcNativeCommand("SELECT n FROM rows ORDER BY n", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(reader.HasRows);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2, reader.GetInt32(0));
        Assert.False(await reader.ReadAsync());
    }

    [SqliteOdbcFact]
    public async Task Closing_the_connection_closes_its_readers_and_a_prepared_command_prepares_again_on_reopen()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE rows (n INTEGER)");
        await using var insert = new OdbcNativeCommand("INSERT INTO rows VALUES (?)", connection);
        insert.Parameters.AddWithValue(1);
        insert.Prepare();
        await insert.ExecuteNonQueryAsync();
        await using var select = new OdbcNativeCommand("SELECT n FROM rows", connection);
        var reader = await select.ExecuteReaderAsync();

        await connection.CloseAsync();
        Assert.True(reader.IsClosed);
        await connection.OpenAsync();
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        Assert.Equal(2L, Convert.ToInt64(await new OdbcNativeCommand("SELECT COUNT(*) FROM rows", connection).ExecuteScalarAsync()));
    }

    private async Task<OdbcNativeConnection> OpenAsync()
    {
        var connection = new OdbcNativeConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    internal static async Task<int> ExecuteAsync(OdbcNativeConnection connection, string sql, params object?[] values)
    {
        await using var command = new OdbcNativeCommand(sql, connection);
        foreach (var value in values) command.Parameters.AddWithValue(value);
        return await command.ExecuteNonQueryAsync();
    }
}
