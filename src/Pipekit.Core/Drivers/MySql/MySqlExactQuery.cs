using System.Data.Common;
using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// Rewrites a MySQL/MariaDB source query so its DECIMAL columns wider than 28 digits come back as exact text.
/// MySqlConnector parses DECIMAL into a System.Decimal, which rounds a DECIMAL(38,10) at its limit to 29 digits
/// without an error; the writers parse the text exactly and refuse, naming the column, what their column cannot hold.
/// </summary>
internal static class MySqlExactQuery
{
    private const int MaxDecimalDigits = 28;

    public static async Task<string> RewriteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var query = sql.Trim().TrimEnd(';').TrimEnd();
        List<(string Name, bool Wide)> columns;
        try
        {
            await using var describe = new MySqlCommand($"SELECT * FROM (\n{query}\n) AS pipekit_exact LIMIT 0", connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
            columns = (await reader.GetColumnSchemaAsync(cancellationToken))
                .Select(c => (c.ColumnName, IsWide(c)))
                .ToList();
        }
        catch (MySqlException)
        {
            // Not a query that nests (or a wrong one): it runs as written and reports its own error.
            return sql;
        }
        if (!columns.Any(c => c.Wide)) return sql;
        if (columns.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != columns.Count)
            throw new DriverException(
                "the source query returns two columns of one name and a DECIMAL wider than 28 digits; give each column its own name (AS …) so the wide one can be read exactly");

        var select = string.Join(", ", columns.Select(c => c.Wide ? $"CAST({Quote(c.Name)} AS CHAR) AS {Quote(c.Name)}" : Quote(c.Name)));
        return $"SELECT {select} FROM (\n{query}\n) AS pipekit_exact";
    }

    private static bool IsWide(DbColumn column) =>
        column.DataType == typeof(decimal) && (column.NumericPrecision is not { } p || p > MaxDecimalDigits);

    private static string Quote(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
}
