using System.Globalization;
using System.Text.Json.Nodes;
using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// The values at the edges of each type, one category per table <c>edge (id, v)</c>: how each engine spells the
/// column and the rows, and how a value read back from any engine is compared with what went in.
/// </summary>
internal static class EdgeValues
{
    public const string Uuid = "uuid";
    public const string Numeric = "numeric(38,10)";
    public const string Timestamptz = "timestamptz";
    public const string Time = "time";
    public const string Interval = "interval";
    public const string MonthInterval = "interval of months";
    public const string Json = "json";
    public const string IntArray = "integer[]";
    public const string TextArray = "text[]";
    public const string BigText = "text over 1 MB";

    /// <summary>1.2 million characters, 2- and 4-byte UTF-8 among them (3 MB in UTF-8).</summary>
    public const int BigTextRepeats = 400_000;
    private const string BigTextUnit = "é😀x";

    /// <summary>The categories both engines have a type for.</summary>
    public static IEnumerable<string> Shared(string from, string to) =>
        new[] { Uuid, Numeric, Timestamptz, Time, Interval, MonthInterval, Json, IntArray, TextArray, BigText }.Where(c => Type(from, c) is not null && Type(to, c) is not null);

    /// <summary>The engine's column type for a category, or null when it has none.</summary>
    public static string? Type(string kind, string category) => (kind, category) switch
    {
        ("postgres", BigText) => "text",
        ("postgres", MonthInterval) => "interval",
        ("duckdb", MonthInterval) => "INTERVAL",
        (_, MonthInterval) => null,
        ("postgres", Json) => "jsonb",
        ("postgres", _) => category,
        ("duckdb", Uuid) => "UUID",
        ("duckdb", Numeric) => "DECIMAL(38,10)",
        ("duckdb", Timestamptz) => "TIMESTAMPTZ",
        ("duckdb", Time) => "TIME",
        ("duckdb", Interval) => "INTERVAL",
        ("duckdb", Json) => "JSON",
        ("duckdb", IntArray) => "INTEGER[]",
        ("duckdb", TextArray) => "VARCHAR[]",
        ("duckdb", BigText) => "VARCHAR",
        // SQLite: declared types only choose an affinity; TEXT keeps a 38-digit decimal exactly, where NUMERIC would not.
        ("sqlite", Uuid or Timestamptz or Time or Json or BigText or Numeric) => "TEXT",
        ("sqlserver", Uuid) => "uniqueidentifier",
        ("sqlserver", Numeric) => "decimal(38,10)",
        ("sqlserver", Timestamptz) => "datetimeoffset(6)",
        ("sqlserver", Time) => "time(6)",
        ("sqlserver", Json or BigText) => "nvarchar(max)",
        ("mysql", Uuid) => "CHAR(36)",
        ("mysql", Numeric) => "DECIMAL(38,10)",
        ("mysql", Timestamptz) => "DATETIME(6)",
        ("mysql", Time) => "TIME(6)",
        ("mysql", Json) => "JSON",
        ("mysql", BigText) => "LONGTEXT",
        _ => null,
    };

    public static string Create(string kind, string category) =>
        $"CREATE TABLE edge (id integer, v {Type(kind, category)})" + (kind == "mysql" ? " CHARACTER SET utf8mb4" : "");

    /// <summary>
    /// Reads the rows back: as the engine's provider returns them, except numeric(38,10) as text, because 38 digits do
    /// not fit a System.Decimal and the reading would fail before the comparison, and arrays as JSON (a provider
    /// reading an array with a NULL element into int[] fails in the reading, not in the transfer).
    /// </summary>
    public static string ReadBack(string kind, string category) => category == MonthInterval
        ? kind == "postgres" ? "SELECT id, v::text FROM edge ORDER BY id" : "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id"
        : category is IntArray or TextArray
        ? kind == "postgres" ? "SELECT id, array_to_json(v)::text FROM edge ORDER BY id" : "SELECT id, CAST(to_json(v) AS VARCHAR) FROM edge ORDER BY id"
        : category != Numeric
        ? "SELECT id, v FROM edge ORDER BY id"
        : kind switch
        {
            "postgres" => "SELECT id, v::text FROM edge ORDER BY id",
            "duckdb" => "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id",
            "mysql" => "SELECT id, CAST(v AS CHAR) FROM edge ORDER BY id",
            "sqlserver" => "SELECT id, CAST(v AS varchar(50)) FROM edge ORDER BY id",
            _ => "SELECT id, v FROM edge ORDER BY id",
        };

    /// <summary>The rows, with literals the engine reads as the category's values; NULL is always the last row.</summary>
    public static string Insert(string kind, string category)
    {
        // SQL Server reads a plain '…' literal in the database's code page: N'…' keeps ü and 😀.
        var values = Literals(kind, category).Select((v, i) => $"({i + 1}, {(kind == "sqlserver" && v.StartsWith('\'') ? "N" + v : v)})");
        return $"INSERT INTO edge VALUES {string.Join(", ", values)}";
    }

    private static IReadOnlyList<string> Literals(string kind, string category) => category switch
    {
        Uuid => ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "'00000000-0000-0000-0000-000000000000'", "NULL"],
        Numeric => ["'9999999999999999999999999999.9999999999'", "'-9999999999999999999999999999.9999999999'", "'0.0000000001'", "'0'", "NULL"],
        // The same instants written in three zones; MySQL has no zone type, so it holds them as UTC.
        Timestamptz => kind == "mysql"
            ? ["'2024-03-31 00:30:00.000001'", "'2024-10-27 00:30:00'", "'1970-01-01 07:59:59.999999'", "NULL"]
            : ["'2024-03-31 01:30:00.000001+01:00'", "'2024-10-27 02:30:00+02:00'", "'1969-12-31 23:59:59.999999-08:00'", "NULL"],
        Time => ["'13:45:56.123456'", "'23:59:59.999999'", "'00:00:00'", "NULL"],
        Interval => ["'3 days 04:05:06.789'", "'-00:00:00.000001'", "'0 seconds'", "NULL"],
        // Mixed signs per part, microseconds, more than 24 hours, and zero: each engine keeps the three parts apart.
        MonthInterval =>
        [
            "INTERVAL '1 year 2 months -3 days 04:05:06.789012'", "INTERVAL '-1 month'", "INTERVAL '-1 year -2 months 3 days -04:05:06.000001'",
            "INTERVAL '1 month 3 days 04:05:06'", "INTERVAL '-100 years -11 months 29 days 838:59:59.999999'", "INTERVAL '0 seconds'", "NULL",
        ],
        Json => ["'{\"a\": [1, 2.5, \"ü\"], \"b\": null, \"c\": {\"d\": true}}'", "'[]'", "'\"just a string\"'", "NULL"],
        IntArray => kind == "duckdb" ? ["[1, NULL, 3]", "[]", "NULL"] : ["'{1,NULL,3}'", "'{}'", "NULL"],
        TextArray => kind == "duckdb" ? ["['a', 'b c', 'ü,\"']", "[]", "NULL"] : ["'{a,\"b c\",\"ü,\\\"\"}'", "'{}'", "NULL"],
        BigText => [kind switch
        {
            "sqlite" => $"replace(hex(zeroblob({BigTextRepeats})), '00', '{BigTextUnit}')",
            "sqlserver" => $"REPLICATE(CAST(N'{BigTextUnit}' AS nvarchar(max)), {BigTextRepeats})",
            _ => $"repeat('{BigTextUnit}', {BigTextRepeats})",
        }, "''", "NULL"],
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    /// <summary>Asserts the rows read back (ordered by id) hold the category's values, whatever CLR types the engine returns.</summary>
    public static void AssertRows(string category, IReadOnlyList<object?[]> rows, string where)
    {
        var expected = Expected(category);
        Assert.True(expected.Count == rows.Count, $"{where}: {rows.Count} rows, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var value = rows[i][1];
            if (expected[i] is null)
            {
                Assert.True(value is null, $"{where}: row {i + 1} should be NULL, is {value}");
                continue;
            }
            Assert.True(value is not null, $"{where}: row {i + 1} is NULL, expected {Show(expected[i])}");
            var actual = Normalise(category, value!);
            Assert.True(Equals(expected[i], actual) || category is Json or IntArray or TextArray && JsonNode.DeepEquals(JsonNode.Parse((string)expected[i]!), JsonNode.Parse((string)actual)),
                $"{where}: row {i + 1} is {Show(actual)} ({value!.GetType().Name}), expected {Show(expected[i])}");
        }
    }

    private static IReadOnlyList<object?> Expected(string category) => category switch
    {
        Uuid => [Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), Guid.Empty, null],
        Numeric => ["9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999", "0.0000000001", "0", null],
        Timestamptz =>
        [
            new DateTime(2024, 3, 31, 0, 30, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(2024, 10, 27, 0, 30, 0, DateTimeKind.Utc),
            new DateTime(1970, 1, 1, 7, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), null,
        ],
        Time => [new TimeOnly(13, 45, 56).Add(TimeSpan.FromTicks(1_234_560)), new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), TimeOnly.MinValue, null],
        Interval => [new TimeSpan(3, 4, 5, 6, 789), TimeSpan.FromTicks(-10), TimeSpan.Zero, null],
        MonthInterval =>
        [
            "14 months -3 days 04:05:06.789012", "-1 months", "-14 months 3 days -04:05:06.000001", "1 months 3 days 04:05:06",
            "-1211 months 29 days 838:59:59.999999", "00:00:00", null,
        ],
        Json => ["{\"a\": [1, 2.5, \"ü\"], \"b\": null, \"c\": {\"d\": true}}", "[]", "\"just a string\"", null],
        IntArray => ["[1, null, 3]", "[]", null],
        TextArray => ["[\"a\", \"b c\", \"ü,\\\"\"]", "[]", null],
        BigText => [string.Concat(Enumerable.Repeat(BigTextUnit, BigTextRepeats)), "", null],
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    private static object Normalise(string category, object value) => category switch
    {
        Uuid => ValueConversion.ToGuid(value),
        Numeric => NormaliseDecimal(value switch
        {
            decimal d => d.ToString(CultureInfo.InvariantCulture),
            double f => f.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        }),
        Timestamptz => ValueConversion.ToTimestampUtc(value),
        Time => ValueConversion.ToTime(value),
        Interval => value is TimeSpan span ? span : TimeSpan.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
        Json => ValueConversion.ToText(value),
        MonthInterval => NormaliseInterval(ValueConversion.ToText(value)),
        _ => ValueConversion.ToText(value),
    };

    // PostgreSQL prints "1 year 2 mons -3 days +04:05:06", DuckDB "1 year 2 months -3 days 04:05:06": both become
    // "14 months -3 days 04:05:06", days and time as written but for PostgreSQL's explicit plus signs.
    private static string NormaliseInterval(string text)
    {
        var months = 0;
        var rest = new List<string>();
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i + 1 < parts.Length && parts[i + 1].StartsWith("year", StringComparison.Ordinal)) { months += 12 * int.Parse(parts[i], CultureInfo.InvariantCulture); i++; }
            else if (i + 1 < parts.Length && parts[i + 1].StartsWith("mon", StringComparison.Ordinal)) { months += int.Parse(parts[i], CultureInfo.InvariantCulture); i++; }
            else if (i + 1 < parts.Length && parts[i + 1].StartsWith("day", StringComparison.Ordinal)) { rest.Add(parts[i].TrimStart('+') + " days"); i++; }
            else rest.Add(parts[i].TrimStart('+'));
        }
        return string.Join(' ', new[] { months != 0 ? $"{months} months" : null }.Concat(rest).OfType<string>());
    }

    // 1.50 and 1.5 are one value: trailing zeros of the fraction (and a bare point) say nothing.
    private static string NormaliseDecimal(string text)
    {
        if (!text.Contains('.', StringComparison.Ordinal)) return text;
        text = text.TrimEnd('0').TrimEnd('.');
        return text is "" or "-" or "-0" ? "0" : text;
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        string s when s.Length > 60 => $"{s.Length} characters starting '{s[..20]}'",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
