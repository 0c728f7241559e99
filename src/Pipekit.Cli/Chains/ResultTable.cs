using System.Globalization;
using Pipekit.Chains.Scripts;

namespace Pipekit.Cli.Chains;

/// <summary>A head's result as an aligned text table, with the row count under it.</summary>
internal static class ResultTable
{
    private const int MaxWidth = 60;

    public static async Task WriteAsync(TextWriter output, ChainResult result)
    {
        if (result.Columns.Count == 0)
        {
            await output.WriteLineAsync("(the head returned no result set)");
            return;
        }
        var cells = result.Rows.Select(r => r.Select(Text).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Min(MaxWidth, Math.Max(c.Name.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)))).ToArray();
        await output.WriteLineAsync(string.Join(" | ", result.Columns.Select((c, i) => c.Name.PadRight(widths[i]))).TrimEnd());
        await output.WriteLineAsync(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            await output.WriteLineAsync(string.Join(" | ", row.Select((v, i) => Cut(v, widths[i]).PadRight(widths[i]))).TrimEnd());
        await output.WriteLineAsync(result.RowCount > result.Rows.Count
            ? $"({result.RowCount} rows, first {result.Rows.Count} shown)"
            : $"({result.RowCount} row{(result.RowCount == 1 ? "" : "s")})");
    }

    private static string Text(object? value) => value switch
    {
        null => "NULL",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Cut(string value, int width) => value.Length <= width ? value : value[..(width - 1)] + "…";
}
