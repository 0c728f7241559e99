using System.Globalization;
using System.Text.RegularExpressions;
using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Rewords a failed load into staging so it names what the user owns: the destination table (the staging table is
/// Pipekit's), the column, the column's type and what is wrong with the value.
/// </summary>
internal static partial class TransferErrors
{
    /// <summary>A clearer exception for <paramref name="ex"/>, or null when the driver's own message is the best there is.</summary>
    public static SyncException? Explain(DriverException ex, TableName staging, TableName destTable, IReadOnlyList<ColumnInfo> destColumns)
    {
        var stagingName = staging.ToString();
        if (UnknownColumns().Match(ex.Message) is { Success: true } unknown && ex.Message.Contains(stagingName, StringComparison.Ordinal))
            return new SyncException(
                $"the source query returns {unknown.Groups[1].Value} but {destTable} has no such column; add it to {destTable}, or drop or rename it in the query", ex);

        if (ex.Message.Contains("overflow", StringComparison.OrdinalIgnoreCase) && RowColumn().Match(ex.Message) is { Success: true } at)
        {
            var column = at.Groups[2].Value;
            var info = destColumns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
            var type = info is null ? "its type" : Modules.DestinationCheck.Describe(info);
            var shape = info is { Precision: { } p, Scale: { } s } && p > 0
                ? string.Create(CultureInfo.InvariantCulture, $"the value has more than {p - s} digit(s) before the decimal point, which {type} allows")
                : "the value is larger than the type holds";
            return new SyncException(
                $"row {at.Groups[1].Value}: column {column} of {destTable} is {type}, and {shape}; widen the column (and its dest_type) or round the value in the query", ex);
        }
        return null;
    }

    [GeneratedRegex(@"has no column (.+?); check")]
    private static partial Regex UnknownColumns();

    [GeneratedRegex("row (\\d+), column \"([^\"]+)\"")]
    private static partial Regex RowColumn();
}
