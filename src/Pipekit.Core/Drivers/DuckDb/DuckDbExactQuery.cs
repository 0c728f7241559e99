using System.Data.Common;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// Rewrites a DuckDB source query so its DECIMAL columns wider than 28 digits and its INTERVAL columns come back as
/// exact text. DuckDB.NET reads a DECIMAL(38,10) into a System.Decimal and rounds what does not fit
/// (9999999999999999999999999999.9999999999 becomes 10000000000000000000000000000), and an INTERVAL into a TimeSpan,
/// refusing one with months; the writers parse the text exactly and refuse what their column cannot hold.
/// </summary>
internal static partial class DuckDbExactQuery
{
    private const int MaxDecimalDigits = 28;

    public static async Task<string> RewriteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var query = sql.Trim().TrimEnd(';').TrimEnd();
        var columns = new List<(string Name, string Type)>();
        try
        {
            await using var describe = connection.CreateCommand();
            describe.Transaction = transaction;
            describe.CommandText = "DESCRIBE " + query;
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }
        catch (Exception ex) when (ex is DbException)
        {
            // Not describable (not a SELECT, or wrong): the query runs as written and reports its own error.
            return sql;
        }
        var exact = columns.Where(c => IsWide(c.Type) || IsInterval(c.Type)).ToList();
        if (exact.Count == 0) return sql;
        if (columns.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != columns.Count)
            throw new DriverException(
                "the source query returns two columns of one name and a DECIMAL wider than 28 digits or an INTERVAL; give each column its own name (AS …) so the value can be read exactly");

        var replaced = string.Join(", ", exact.Select(c => IsInterval(c.Type)
            ? $"{IntervalText(Quote(c.Name))} AS {Quote(c.Name)}"
            : $"CAST({Quote(c.Name)} AS VARCHAR) AS {Quote(c.Name)}"));
        // The newline ends a trailing -- comment before the closing parenthesis.
        return $"SELECT * REPLACE ({replaced}) FROM (\n{query}\n) AS pipekit_exact";
    }

    /// <summary>DECIMAL(p,s) with p above 28, also inside a type DESCRIBE spells in capitals.</summary>
    private static bool IsWide(string type)
    {
        var match = DecimalType().Match(type);
        return match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > MaxDecimalDigits;
    }

    private static bool IsInterval(string type) => type.Equals("INTERVAL", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The interval's three parts as <see cref="IntervalValue"/> text. datepart truncates toward zero and keeps each
    /// part's sign, so years × 12 + months is the month count and hours, minutes and microseconds (seconds included)
    /// add up to the time part.
    /// </summary>
    internal static string IntervalText(string column) =>
        $"(CAST(datepart('year', {column}) * 12 + datepart('month', {column}) AS VARCHAR) || ' months ' || CAST(datepart('day', {column}) AS VARCHAR) || ' days ' || " +
        $"CAST(datepart('hour', {column}) * 3600000000 + datepart('minute', {column}) * 60000000 + datepart('microseconds', {column}) AS VARCHAR) || ' microseconds')";

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*\d+\)$", RegexOptions.IgnoreCase)]
    private static partial Regex DecimalType();
}
