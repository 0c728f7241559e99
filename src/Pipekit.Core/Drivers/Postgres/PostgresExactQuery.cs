using System.Data;
using Npgsql;
using Npgsql.Schema;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Rewrites a PostgreSQL source query so its numeric columns that may be wider than 28 digits (numeric(p,s) with p
/// above 28, or numeric without a precision) and its interval columns come back as exact text. Npgsql reads numeric
/// into a System.Decimal and refuses a value that does not fit ("Numeric value does not fit in a System.Decimal",
/// naming no column), and an interval into a TimeSpan, refusing one with months; the writers parse the text exactly
/// and refuse, naming the column, only what their own column cannot hold.
/// </summary>
internal static class PostgresExactQuery
{
    private const int MaxDecimalDigits = 28;

    public static async Task<string> RewriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var query = sql.Trim().TrimEnd(';').TrimEnd();
        List<(string Name, Exact Exact)> columns;
        try
        {
            await using var describe = new NpgsqlCommand(query, connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            columns = (await reader.GetColumnSchemaAsync(cancellationToken))
                .Select(c => (c.ColumnName, ExactOf(c)))
                .ToList();
        }
        catch (PostgresException)
        {
            // The query is wrong: it runs as written and reports its own error.
            return sql;
        }
        if (columns.All(c => c.Exact == Exact.AsRead)) return sql;
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new DriverException(
                "the source query returns two columns of one name and a numeric that may be wider than 28 digits or an interval; give each column its own name (AS …) so the value can be read exactly");

        var select = string.Join(", ", columns.Select(c => c.Exact switch
        {
            Exact.NumericText => $"{Quote(c.Name)}::text AS {Quote(c.Name)}",
            Exact.IntervalText => $"{IntervalText(Quote(c.Name))} AS {Quote(c.Name)}",
            _ => Quote(c.Name),
        }));
        // The newline ends a trailing -- comment before the closing parenthesis.
        return $"SELECT {select} FROM (\n{query}\n) AS pipekit_exact";
    }

    private enum Exact { AsRead, NumericText, IntervalText }

    private static Exact ExactOf(System.Data.Common.DbColumn column) => (column as NpgsqlDbColumn)?.PostgresType.Name switch
    {
        "numeric" when (column.NumericPrecision is not { } p || p > MaxDecimalDigits) => Exact.NumericText,
        "interval" => Exact.IntervalText,
        _ => Exact.AsRead,
    };

    /// <summary>
    /// The interval's three parts as <see cref="IntervalValue"/> text, whatever the session's IntervalStyle. extract
    /// truncates toward zero and keeps each part's sign, so years × 12 + months is the month count and hours, minutes
    /// and microseconds (seconds included) add up to the time part.
    /// </summary>
    internal static string IntervalText(string column) =>
        $"((extract(year from {column}) * 12 + extract(month from {column}))::int8::text || ' months ' || extract(day from {column})::int8::text || ' days ' || " +
        $"(extract(hour from {column}) * 3600000000 + extract(minute from {column}) * 60000000 + extract(microseconds from {column}))::int8::text || ' microseconds')";

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
