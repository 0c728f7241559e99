using System.Data;
using Npgsql;
using Npgsql.Schema;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Rewrites a PostgreSQL source query so its numeric columns that may be wider than 28 digits (numeric(p,s) with p
/// above 28, or numeric without a precision) come back as exact text. Npgsql reads numeric into a System.Decimal and
/// refuses a value that does not fit ("Numeric value does not fit in a System.Decimal", naming no column); the writers
/// parse the text exactly and refuse, naming the column, only what their own column cannot hold.
/// </summary>
internal static class PostgresExactQuery
{
    private const int MaxDecimalDigits = 28;

    public static async Task<string> RewriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var query = sql.Trim().TrimEnd(';').TrimEnd();
        List<(string Name, bool Wide)> columns;
        try
        {
            await using var describe = new NpgsqlCommand(query, connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            columns = (await reader.GetColumnSchemaAsync(cancellationToken))
                .Select(c => (c.ColumnName, c is NpgsqlDbColumn { PostgresType.Name: "numeric" } && (c.NumericPrecision is not { } p || p > MaxDecimalDigits)))
                .ToList();
        }
        catch (PostgresException)
        {
            // The query is wrong: it runs as written and reports its own error.
            return sql;
        }
        if (!columns.Any(c => c.Wide)) return sql;
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new DriverException(
                "the source query returns two columns of one name and a numeric that may be wider than 28 digits; give each column its own name (AS …) so the numeric can be read exactly");

        var select = string.Join(", ", columns.Select(c => c.Wide ? $"{Quote(c.Name)}::text AS {Quote(c.Name)}" : Quote(c.Name)));
        // The newline ends a trailing -- comment before the closing parenthesis.
        return $"SELECT {select} FROM (\n{query}\n) AS pipekit_exact";
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
