using System.Text.RegularExpressions;
using Pipekit.Core.Drivers;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Modules;
using Token = Pipekit.Sync.Columns.SelectListParser.Token;
using TokenKind = Pipekit.Sync.Columns.SelectListParser.TokenKind;

namespace Pipekit.Sync.Deletes;

/// <summary>
/// Every row a module's source query covers, not only the delta: the same FROM and WHERE with the watermark
/// conditions taken out. Delete detection reads the source's key set from it, and verification compares it with the
/// destination.
/// <para>
/// A watermark condition can be taken out when it is a top-level AND term of the top-level WHERE; the term is dropped
/// whole. Dropping a term only ever widens the row set, so a derived key set can miss a deletion but never claims a
/// live row is gone. A placeholder anywhere else (the SELECT list, a JOIN condition, a CTE or subquery, under a
/// top-level OR), or a LIMIT/TOP/FETCH/OFFSET that would cut the key set short, makes derivation impossible: such a
/// module needs an explicit <c>keys_query</c>.
/// </para>
/// </summary>
public static partial class SourceScope
{
    private static readonly HashSet<string> ClauseAfterWhere = new(StringComparer.OrdinalIgnoreCase) { "GROUP", "HAVING", "ORDER", "WINDOW" };
    private static readonly HashSet<string> RowLimits = new(StringComparer.OrdinalIgnoreCase) { "LIMIT", "TOP", "FETCH", "OFFSET" };

    /// <summary>
    /// The module's key set query: its explicit <c>keys_query</c>, or one derived from the source query that selects
    /// the merge-key columns under their destination names. Placeholders of an explicit query are left for the run to
    /// substitute; a derived one has none.
    /// </summary>
    public static ScopeQuery KeysQuery(Module module, ISqlDialect? sourceDialect = null)
    {
        if (!string.IsNullOrWhiteSpace(module.KeysQuery)) return new ScopeQuery(module.KeysQuery.Trim().TrimEnd(';'), null);
        if (module.MergeKeyColumns.Count == 0) return new ScopeQuery(null, "the module has no merge key");
        var list = SelectListParser.Parse(module.SourceQuery);
        if (!list.Parsed) return Impossible(list.Error!);
        var keys = new List<string>();
        foreach (var key in module.MergeKeyColumns)
        {
            var expression = KeyExpression(module, list, key, out var problem);
            if (expression is null) return Impossible(problem!);
            keys.Add($"{expression} AS {(sourceDialect is null ? Quote(key, list.Quote) : sourceDialect.QuoteIdentifier(key))}");
        }
        return Derive(module.SourceQuery, list, string.Join(", ", keys));
    }

    /// <summary>The source query with its SELECT list kept and its watermark conditions taken out.</summary>
    public static ScopeQuery FullQuery(Module module)
    {
        var list = SelectListParser.Parse(module.SourceQuery);
        if (!list.Parsed) return Impossible(list.Error!);
        return Derive(module.SourceQuery, list, null);
    }

    private static ScopeQuery Derive(string sql, SelectList list, string? selectList)
    {
        var tokens = SelectListParser.Tokenize(sql);
        if (tokens is null) return Impossible("the query has an unterminated quote or comment");
        if (tokens.FirstOrDefault(t => t.Depth == 0 && t.Kind == TokenKind.Word && RowLimits.Contains(t.Text)) is { } limit)
            return Impossible($"the query limits its rows ({limit.Text.ToUpperInvariant()}), so it cannot list every key");
        var from = tokens.FindIndex(t => t.Depth == 0 && t.Start >= list.End && t.IsWord("FROM"));
        if (from < 0) return Impossible("the query has no top-level FROM");
        var where = tokens.FindIndex(from, t => t.Depth == 0 && t.IsWord("WHERE"));
        var tailStart = tokens.FindIndex(where < 0 ? from : where,
            t => t.Depth == 0 && (t.Kind == TokenKind.Word && ClauseAfterWhere.Contains(t.Text) || t.Text == ";"));
        var whereEnd = tailStart < 0 ? sql.Length : tokens[tailStart].Start;

        var placeholders = Placeholder().Matches(sql).ToList();
        var whereStart = where < 0 ? int.MaxValue : tokens[where].Start + tokens[where].Text.Length;
        foreach (var p in placeholders.Where(p => p.Index < whereStart || p.Index >= whereEnd))
            return Impossible($"placeholder {p.Value} is not in a condition of the top-level WHERE");

        string kept = "";
        if (where >= 0)
        {
            var terms = Terms(tokens, where + 1, tailStart < 0 ? tokens.Count : tailStart);
            var keptTerms = terms
                .Where(term => !placeholders.Any(p => p.Index >= term.Start && p.Index < term.End))
                .Select(term => sql[term.Start..term.End].Trim())
                .ToList();
            if (keptTerms.Count > 0) kept = " WHERE " + string.Join(" AND ", keptTerms.Select(t => keptTerms.Count > 1 ? $"({t})" : t));
        }

        // ORDER BY may name SELECT items a key query no longer has, and nobody needs the order.
        var tail = "";
        if (tailStart >= 0 && !tokens[tailStart].IsWord("ORDER") && tokens[tailStart].Text != ";")
        {
            var order = tokens.FindIndex(tailStart, t => t.Depth == 0 && (t.IsWord("ORDER") || t.Text == ";"));
            tail = " " + sql[tokens[tailStart].Start..(order < 0 ? sql.Length : tokens[order].Start)].Trim();
        }
        var head = selectList is null ? sql[..list.End] : sql[..list.Start] + selectList;
        var fromEnd = where >= 0 ? tokens[where].Start : whereEnd;
        var result = head + " " + sql[tokens[from].Start..fromEnd].Trim() + kept + tail;
        return new ScopeQuery(result.Trim(), null);
    }

    /// <summary>The top-level AND terms between two token indexes; the whole range is one term when it has a top-level OR.</summary>
    private static List<(int Start, int End)> Terms(List<Token> tokens, int first, int end)
    {
        var terms = new List<(int Start, int End)>();
        if (first >= end) return terms;
        var splits = new List<int>();
        var caseDepth = 0;
        var between = false;
        for (var i = first; i < end; i++)
        {
            var t = tokens[i];
            if (t.Depth != 0) continue;
            if (t.IsWord("CASE")) caseDepth++;
            else if (t.IsWord("END") && caseDepth > 0) caseDepth--;
            else if (caseDepth > 0) continue;
            else if (t.IsWord("OR")) return [(tokens[first].Start, End(tokens[end - 1]))];
            else if (t.IsWord("BETWEEN")) between = true;
            else if (t.IsWord("AND"))
            {
                if (between) between = false;
                else splits.Add(i);
            }
        }
        var start = first;
        foreach (var split in splits.Append(end))
        {
            if (split > start) terms.Add((tokens[start].Start, End(tokens[split - 1])));
            start = split + 1;
        }
        return terms;
    }

    private static int End(Token t) => t.Start + t.Text.Length;

    private static string? KeyExpression(Module module, SelectList list, string key, out string? problem)
    {
        problem = null;
        if (module.Columns.Count > 0)
        {
            var index = module.Columns.ToList().FindIndex(c => string.Equals(c.DestName, key, StringComparison.OrdinalIgnoreCase));
            if (index < 0) { problem = $"merge-key column '{key}' is not one of the module's columns"; return null; }
            if (list.Columns.Count != module.Columns.Count)
            {
                problem = $"the SELECT list has {list.Columns.Count} items but the module declares {module.Columns.Count} columns";
                return null;
            }
            return list.Columns[index].Expression;
        }
        if (list.Columns is [{ Expression: "*" }]) return Quote(key, list.Quote);
        var item = list.Columns.FirstOrDefault(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase));
        if (item is null) problem = $"no SELECT item is named '{key}'";
        return item?.Expression;
    }

    private static string Quote(string name, char quote) =>
        quote switch
        {
            '[' => $"[{name.Replace("]", "]]", StringComparison.Ordinal)}]",
            '`' => $"`{name.Replace("`", "``", StringComparison.Ordinal)}`",
            _ => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
        };

    private static ScopeQuery Impossible(string why) =>
        new(null, $"cannot derive the source's key set from the source query: {why}; set keys_query to a query returning the merge-key columns");

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_]*\}")]
    private static partial Regex Placeholder();
}
