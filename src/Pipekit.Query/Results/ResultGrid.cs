using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// A result read into cells of text for a page (the SQL console): at most <c>max_rows</c> rows, NULL as null, with
/// whether the cap cut it. Numbers are marked so the page can right-align them.
/// </summary>
public sealed record ResultGrid(IReadOnlyList<ResultColumn> Columns, IReadOnlyList<string?[]> Rows, bool Truncated)
{
    public static ResultGrid Read(QueryCursor cursor, long maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var columns = cursor.Columns;
        var rows = new List<string?[]>();
        long count = 0;
        while (RowCap.Next(cursor, ref count, maxRows))
        {
            if ((count & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var row = new string?[columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = ResultValues.Text(cursor.Reader, i, columns[i].Kind, redactor);
            rows.Add(row);
        }
        return new ResultGrid(columns, rows, cursor.Truncated);
    }

    /// <summary>Whether a column holds numbers (right-aligned, tabular figures).</summary>
    public static bool IsNumeric(ResultColumn column) =>
        column?.Kind is ColumnKind.Integer or ColumnKind.BigInteger or ColumnKind.Float or ColumnKind.Double or ColumnKind.DecimalNumber or ColumnKind.DecimalText;
}
