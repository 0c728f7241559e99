namespace Pipekit.Core.Drivers;

/// <summary>The errors of bulk writers, worded once: <c>row 1523, column "amount": cannot convert 'abc' to numeric</c>.</summary>
internal static class BulkWriteErrors
{
    public static DriverException CannotConvert(long row, string column, object? value, string type, Exception? inner = null)
    {
        var message = $"row {row}, column \"{column}\": cannot convert {ValueConversion.Preview(value)} to {type}";
        // A precision refusal says why: the value's shape and what the column keeps.
        if (inner is ValuePrecisionException precision) message += ": " + precision.Message;
        return inner is null ? new DriverException(message) : new DriverException(message, inner);
    }

    public static DriverException Rejected(long row, string? column, string reason, Exception inner) =>
        new(column is null ? $"row {row}: {reason}" : $"row {row}, column \"{column}\": {reason}", inner);

    public static DriverException ColumnCountMismatch(TableName table, int sourceColumns, int targetColumns) =>
        new($"the source query returns {sourceColumns} columns but {targetColumns} destination columns of {table} were given; list one destination column per source column");

    public static DriverException UnknownColumns(TableName table, IEnumerable<string> missing) =>
        new($"table {table} has no column {string.Join(", ", missing.Select(m => $"\"{m}\""))}; check the column list or the destination table");

    public static DriverException MissingTable(TableName table) =>
        new($"destination table {table} does not exist; create it first (the wizard or 'CREATE TABLE')");
}
