using System.Text;
using System.Text.RegularExpressions;
using Pipekit.Core.Validation;

namespace Pipekit.Sync.Columns;

/// <summary>
/// The column editor's write side (seed 002): replaces a query's SELECT list with edited rows and keeps every byte
/// outside the list (CTEs, comments before it, FROM, WHERE, placeholders) as it was. A row that did not change keeps
/// its original text, comments and alias style included; an unchanged list gives back the query unchanged.
/// </summary>
public static partial class SelectListEditor
{
    /// <summary>The query with its SELECT list replaced by <paramref name="columns"/>.</summary>
    /// <exception cref="ValidationException">The query cannot be parsed, or a row is empty or malformed.</exception>
    public static string Splice(string sql, IReadOnlyList<ColumnEdit> columns)
    {
        var list = SelectListParser.Parse(sql);
        if (!list.Parsed) throw new ValidationException("source_query", $"can't parse the SELECT list ({list.Error}); edit the raw SQL instead");
        if (columns.Count == 0) throw new ValidationException("columns", "a SELECT list needs at least one column");

        var items = new List<string>(columns.Count);
        for (var n = 0; n < columns.Count; n++)
        {
            var edit = columns[n];
            var expression = edit.Expression.Trim();
            var alias = string.IsNullOrWhiteSpace(edit.Alias) ? null : edit.Alias.Trim();
            if (expression.Length == 0) throw new ValidationException("columns", $"row {n + 1} has no expression");
            // An original item with the same expression and alias keeps its exact text.
            var same = list.Columns.FirstOrDefault(c => c.Expression == expression && c.Alias == alias);
            items.Add(same is not null ? same.Text : Render(expression, alias, list.Quote, n + 1));
        }

        // The same rows in the same order: the query comes back untouched, comments between items included.
        if (items.Count == list.Columns.Count && items.Select((t, n) => t == list.Columns[n].Text).All(x => x)) return sql;
        var text = string.Join(Separator(sql, list), items);
        return string.Concat(sql.AsSpan(0, list.Start), text, sql.AsSpan(list.End));
    }

    private static string Render(string expression, string? alias, char quote, int row)
    {
        // The parser must read the rendered row back as this expression and alias, or the splice would change meaning.
        var parsed = SelectListParser.Parse("SELECT " + expression + " FROM t");
        if (!parsed.Parsed || parsed.Columns.Count != 1)
            throw new ValidationException("columns", $"row {row}: '{expression}' is not one SQL expression (a stray comma or quote?)");
        if (alias is null) return expression;
        return expression + " AS " + QuoteIfNeeded(alias, quote);
    }

    private static string QuoteIfNeeded(string alias, char quote)
    {
        if (PlainIdentifier().IsMatch(alias)) return alias;
        return quote switch
        {
            '[' => "[" + alias.Replace("]", "]]", StringComparison.Ordinal) + "]",
            '`' => "`" + alias.Replace("`", "``", StringComparison.Ordinal) + "`",
            _ => "\"" + alias.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        };
    }

    // The query's own separator between its first two items ("," / ", " / ",\n    " / "\n     , "), without comments.
    private static string Separator(string sql, SelectList list)
    {
        if (list.Columns.Count < 2) return sql[list.Start..list.End].Contains('\n') ? ",\n    " : ", ";
        var first = list.Columns[0];
        var between = sql[(first.Offset + first.Text.Length)..list.Columns[1].Offset];
        if (!between.Contains("--", StringComparison.Ordinal) && !between.Contains("/*", StringComparison.Ordinal)) return between;
        var newline = between.LastIndexOf('\n');
        if (newline < 0) return ", ";
        var indent = new StringBuilder();
        foreach (var c in between[(newline + 1)..])
        {
            if (c is ' ' or '\t') indent.Append(c);
            else break;
        }
        return between[(newline + 1)..].TrimStart().StartsWith(',') ? "\n" + indent + ", " : ",\n" + indent;
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex PlainIdentifier();
}
