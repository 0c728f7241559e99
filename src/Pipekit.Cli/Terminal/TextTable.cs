namespace Pipekit.Cli.Terminal;

/// <summary>
/// A listing printed as aligned columns: each column is as wide as its widest cell, header included, so a long module
/// name or status never pushes the rest of its row out of line. Counts and durations align right; the last column is
/// not padded, so a long error or URL runs on rather than being cut.
/// </summary>
internal sealed class TextTable
{
    private const string Gap = "  ";
    private readonly List<(string Header, bool Right)> _columns = [];
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a column; <paramref name="right"/> aligns its cells to the right (numbers).</summary>
    public TextTable Column(string header, bool right = false)
    {
        if (_rows.Count > 0) throw new InvalidOperationException("columns are declared before the first row");
        _columns.Add((header, right));
        return this;
    }

    /// <summary>Adds a row of one cell per column; a null cell prints as <c>-</c>.</summary>
    public void Row(params string?[] cells)
    {
        if (cells.Length != _columns.Count) throw new ArgumentException($"a row has {_columns.Count} cells, not {cells.Length}", nameof(cells));
        _rows.Add(cells.Select(cell => cell ?? "-").ToArray());
    }

    public async Task WriteAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var widths = _columns.Select((column, i) => _rows.Select(row => row[i].Length).Append(column.Header.Length).Max()).ToArray();
        await WriteLineAsync(output, _columns.Select(c => c.Header).ToArray(), widths, cancellationToken);
        foreach (var row in _rows) await WriteLineAsync(output, row, widths, cancellationToken);
    }

    private Task WriteLineAsync(TextWriter output, string[] cells, int[] widths, CancellationToken cancellationToken)
    {
        var line = new System.Text.StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) line.Append(Gap);
            var last = i == cells.Length - 1;
            if (_columns[i].Right) line.Append(cells[i].PadLeft(widths[i]));
            else line.Append(last ? cells[i] : cells[i].PadRight(widths[i]));
        }
        return output.WriteLineAsync(line.ToString().TrimEnd().AsMemory(), cancellationToken);
    }
}
