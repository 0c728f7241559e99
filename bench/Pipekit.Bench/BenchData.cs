using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Pipekit.Bench;

/// <summary>
/// The benchmark's table of 10 mixed columns (bigint, int, numeric(15,4), 20–60 char text, varchar, timestamp,
/// timestamptz, date, bool, nullable text), generated inside each engine so that generation is not what is timed.
/// </summary>
internal static class BenchData
{
    public const string Columns = "id, qty, amount, descr, code, created, created_tz, day, flag, note";
    public const string SelectSql = $"SELECT {Columns} FROM bench_src";

    public const string PostgresTable =
        "(id bigint, qty integer, amount numeric(15,4), descr text, code varchar(20), created timestamp, " +
        "created_tz timestamptz, day date, flag boolean, note text)";

    public const string DuckDbTable =
        "(id BIGINT, qty INTEGER, amount DECIMAL(15,4), descr VARCHAR, code VARCHAR, created TIMESTAMP, " +
        "created_tz TIMESTAMPTZ, day DATE, flag BOOLEAN, note VARCHAR)";

    public static async Task PostgresSourceAsync(string connectionString, long rows)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await ExecuteAsync(db, $"CREATE TABLE bench_src {PostgresTable}");
        await ExecuteAsync(db,
            "INSERT INTO bench_src SELECT g, (g % 100000)::int, ((g * 7919) % 100000000)::numeric / 10000, " +
            "left(md5(g::text) || md5((g + 1)::text), 20 + (g % 41)::int), 'C' || (g % 1000), " +
            "timestamp '2020-01-01' + g * interval '1 second', timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second', " +
            "date '2020-01-01' + (g % 3650)::int, g % 2 = 0, CASE WHEN g % 5 = 0 THEN NULL ELSE 'note ' || g END " +
            $"FROM generate_series(1::bigint, {rows}) g");
        await ExecuteAsync(db, "VACUUM ANALYZE bench_src");
    }

    public static async Task PostgresDestinationAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await ExecuteAsync(db, $"CREATE TABLE bench_dst {PostgresTable}");
    }

    public static async Task SqliteSourceAsync(string path, long rows)
    {
        await using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        await db.OpenAsync();
        await ExecuteAsync(db,
            "CREATE TABLE bench_src (id INTEGER, qty INTEGER, amount NUMERIC(15,4), descr TEXT, code VARCHAR(20), " +
            "created DATETIME, created_tz TIMESTAMPTZ, day DATE, flag BOOLEAN, note TEXT)");
        await ExecuteAsync(db,
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " + rows + ") " +
            "INSERT INTO bench_src SELECT n, n % 100000, ((n * 7919) % 100000000) / 10000.0, " +
            "substr(hex(randomblob(30)), 1, 20 + n % 41), 'C' || (n % 1000), " +
            "datetime(1577836800 + n, 'unixepoch'), datetime(1577836800 + n, 'unixepoch') || '+00:00', " +
            "date(1577836800 + (n % 3650) * 86400, 'unixepoch'), n % 2 = 0, CASE WHEN n % 5 = 0 THEN NULL ELSE 'note ' || n END FROM g");
    }

    public static async Task DuckDbSourceAsync(string path, long rows)
    {
        await using var db = new DuckDBConnection($"Data Source={path}");
        await db.OpenAsync();
        await ExecuteAsync(db,
            "CREATE TABLE bench_src AS SELECT range::BIGINT AS id, (range % 100000)::INTEGER AS qty, " +
            "(((range * 7919) % 100000000) / 10000)::DECIMAL(15,4) AS amount, " +
            "left(md5(range::VARCHAR) || md5((range + 1)::VARCHAR), (20 + range % 41)::INTEGER) AS descr, " +
            "'C' || (range % 1000) AS code, TIMESTAMP '2020-01-01' + to_seconds(range) AS created, " +
            "TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_seconds(range) AS created_tz, " +
            "(DATE '2020-01-01' + (range % 3650)::INTEGER) AS day, range % 2 = 0 AS flag, " +
            $"CASE WHEN range % 5 = 0 THEN NULL ELSE 'note ' || range END AS note FROM range(1, {rows + 1})");
    }

    public static async Task DuckDbDestinationAsync(string path)
    {
        await using var db = new DuckDBConnection($"Data Source={path}");
        await db.OpenAsync();
        await ExecuteAsync(db, $"CREATE OR REPLACE TABLE bench_dst {DuckDbTable}");
        await ExecuteAsync(db, "CHECKPOINT");
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
