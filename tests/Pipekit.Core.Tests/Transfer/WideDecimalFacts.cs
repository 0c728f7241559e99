using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// Decimals wider than System.Decimal's 28–29 significant digits: each one either arrives exactly or the transfer
/// fails naming the column, the type and how many digits the value has. None is ever rounded without an error.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WideDecimalFacts(PostgresFixture postgres) : IDisposable
{
    /// <summary>38 digits at the limits, and 30 digits: the one decimal.Parse rounds to 29 without complaint.</summary>
    private static readonly string[] Values =
    [
        "9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999",
        "12345678901234567890.1234567891", "0.0000000001", "0",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Rows(string kind) => string.Join(", ", Values.Select((v, i) => kind == "duckdb"
        ? $"({i + 1}, CAST('{v}' AS DECIMAL(38,10)))"
        : $"({i + 1}, '{v}')"));

    [Fact]
    public async Task A_duckdb_decimal_38_10_arrives_in_a_sqlite_text_column_exactly()
    {
        var dbs = new TestDatabases(null, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))", $"INSERT INTO edge VALUES {Rows("duckdb")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INTEGER, v TEXT)");

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        AssertExact(await dbs.QueryAsync(destination, "SELECT id, v FROM edge ORDER BY id"));
    }

    [Fact]
    public async Task A_duckdb_decimal_38_10_arrives_in_a_duckdb_decimal_38_10_exactly()
    {
        var dbs = new TestDatabases(null, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("duckdb");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))", $"INSERT INTO edge VALUES {Rows("duckdb")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))");

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        AssertExact(await dbs.QueryAsync(destination, "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id"));
    }

    [Fact]
    public async Task Sqlite_text_of_38_digits_arrives_in_a_duckdb_decimal_38_10_exactly()
    {
        var dbs = new TestDatabases(null, _dir);
        var source = await dbs.CreateAsync("sqlite");
        var destination = await dbs.CreateAsync("duckdb");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v TEXT)", $"INSERT INTO edge VALUES {Rows("sqlite")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))");

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        AssertExact(await dbs.QueryAsync(destination, "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id"));
    }

    [Fact]
    public async Task A_value_with_more_integer_digits_than_the_duckdb_column_fails_naming_the_column_and_the_shape()
    {
        var dbs = new TestDatabases(null, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("duckdb");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))", $"INSERT INTO edge VALUES {Rows("duckdb")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INTEGER, v DECIMAL(30,10))");

        var error = await Assert.ThrowsAsync<DriverException>(() => EdgeFidelityFacts.Transfer(dbs, source, destination));

        Assert.Contains("row 1, column \"v\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("DECIMAL(30,10)", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("28 integer digits", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await dbs.CountAsync(destination, "edge"));
    }

    [Fact]
    public async Task A_38_digit_decimal_into_a_sqlite_numeric_column_fails_instead_of_becoming_a_15_digit_real()
    {
        var dbs = new TestDatabases(null, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))", $"INSERT INTO edge VALUES {Rows("duckdb")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INTEGER, v NUMERIC(38,10))");

        var error = await Assert.ThrowsAsync<DriverException>(() => EdgeFidelityFacts.Transfer(dbs, source, destination));

        Assert.Contains("row 1, column \"v\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("NUMERIC(38,10)", error.Message, StringComparison.Ordinal);
        Assert.Contains("38 significant digits", error.Message, StringComparison.Ordinal);
        Assert.Contains("TEXT", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await dbs.CountAsync(destination, "edge"));
    }

    [PostgresFact]
    public async Task Sqlite_text_of_30_digits_arrives_in_postgres_numeric_38_10_exactly_where_decimal_parse_rounded_it()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v TEXT)", $"INSERT INTO edge VALUES {Rows("sqlite")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id integer, v numeric(38,10))");

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        AssertExact(await dbs.QueryAsync(destination, "SELECT id, v::text FROM edge ORDER BY id"));
    }

    [PostgresFact]
    public async Task Postgres_numeric_without_a_precision_arrives_in_duckdb_and_back_exactly()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("postgres");
        var duck = await dbs.CreateAsync("duckdb");
        var back = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id integer, v numeric)", $"INSERT INTO edge VALUES {Rows("postgres")}");
        await dbs.ExecuteAsync(duck, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))");
        // A numeric without a precision on the way back: no typmod to cast to, still every digit.
        await dbs.ExecuteAsync(back, "CREATE TABLE edge (id integer, v numeric)");

        await EdgeFidelityFacts.Transfer(dbs, source, duck);
        await EdgeFidelityFacts.Transfer(dbs, duck, back);

        AssertExact(await dbs.QueryAsync(duck, "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id"));
        AssertExact(await dbs.QueryAsync(back, "SELECT id, v::text FROM edge ORDER BY id"));
    }

    [PostgresFact]
    public async Task A_value_too_wide_for_the_postgres_column_fails_naming_the_column_the_type_and_the_shape()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, v DECIMAL(38,10))", $"INSERT INTO edge VALUES {Rows("duckdb")}");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id integer, v numeric(30,4))");

        var error = await Assert.ThrowsAsync<DriverException>(() => EdgeFidelityFacts.Transfer(dbs, source, destination));

        Assert.Contains("row 1, column \"v\"", error.Message, StringComparison.Ordinal);
        // Rounded to the column's 4 places first, as PostgreSQL rounds: 9999…9.9999999999 carries into a 29th integer digit.
        Assert.Contains("the value has 29 integer digits; numeric(30,4) holds 26", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await dbs.CountAsync(destination, "edge"));
    }

    private static void AssertExact(IReadOnlyList<object?[]> rows)
    {
        Assert.Equal(Values.Length, rows.Count);
        for (var i = 0; i < Values.Length; i++)
            Assert.Equal(Values[i], Trim((string)rows[i][1]!));
    }

    // 1.50 and 1.5 are one value: DuckDB prints the column's scale, the text column holds what was written.
    private static string Trim(string text)
    {
        if (!text.Contains('.', StringComparison.Ordinal)) return text;
        var trimmed = text.TrimEnd('0').TrimEnd('.');
        return trimmed is "" or "-" or "-0" ? "0" : trimmed;
    }
}
