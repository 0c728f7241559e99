using System.Data.Common;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// Rewrites a DuckDB source query so its DECIMAL columns wider than 28 digits come back as exact text. DuckDB.NET
/// reads a DECIMAL(38,10) into a System.Decimal and rounds what does not fit (9999999999999999999999999999.9999999999
/// becomes 10000000000000000000000000000); the writers parse the text exactly and refuse what their column cannot hold.
/// </summary>
internal static partial class DuckDbExactQuery
{
    private const int MaxDecimalDigits = 28;

    public static async Task<string> RewriteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var query = sql.Trim().TrimEnd(';').TrimEnd();
        var columns = new List<(string Name, bool Wide)>();
        try
        {
            await using var describe = connection.CreateCommand();
            describe.Transaction = transaction;
            describe.CommandText = "DESCRIBE " + query;
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                columns.Add((reader.GetString(0), IsWide(reader.GetString(1))));
        }
        catch (Exception ex) when (ex is DbException)
        {
            // Not describable (not a SELECT, or wrong): the query runs as written and reports its own error.
            return sql;
        }
        if (!columns.Any(c => c.Wide)) return sql;
        if (columns.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != columns.Count)
            throw new DriverException(
                "the source query returns two columns of one name and a DECIMAL wider than 28 digits; give each column its own name (AS …) so the wide one can be read exactly");

        var replaced = string.Join(", ", columns.Where(c => c.Wide).Select(c => $"CAST({Quote(c.Name)} AS VARCHAR) AS {Quote(c.Name)}"));
        // The newline ends a trailing -- comment before the closing parenthesis.
        return $"SELECT * REPLACE ({replaced}) FROM (\n{query}\n) AS pipekit_exact";
    }

    /// <summary>DECIMAL(p,s) with p above 28, also inside a type DESCRIBE spells in capitals.</summary>
    private static bool IsWide(string type)
    {
        var match = DecimalType().Match(type);
        return match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > MaxDecimalDigits;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*\d+\)$", RegexOptions.IgnoreCase)]
    private static partial Regex DecimalType();
}
