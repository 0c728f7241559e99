using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>A result as an aligned text table for a terminal (<c>pipekit query</c>), cut at the row cap with a note saying so.</summary>
public static class TableResultEncoder
{
    public static async Task WriteAsync(QueryCursor cursor, TextWriter output, int maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        var columns = cursor.Columns;
        var rows = new List<string[]>();
        var truncated = false;
        while (cursor.Read())
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                cursor.Truncated = true;
                break;
            }
            var row = new string[columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = (ResultValues.Text(cursor.Reader, i, columns[i].Kind, redactor) ?? "NULL").ReplaceLineEndings(" ");
            rows.Add(row);
        }
        var widths = columns.Select((c, i) => Math.Min(60, rows.Select(r => r[i].Length).Append(c.Name.Length).Max())).ToArray();
        await output.WriteLineAsync(Line(columns.Select(c => c.Name).ToArray(), widths));
        await output.WriteLineAsync(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await output.WriteLineAsync(Line(row, widths));
        }
        await output.WriteLineAsync(truncated
            ? $"({rows.Count} rows shown; the result has more: raise [query].max_rows or use --format csv)"
            : $"({rows.Count} {(rows.Count == 1 ? "row" : "rows")})");
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd();
}
