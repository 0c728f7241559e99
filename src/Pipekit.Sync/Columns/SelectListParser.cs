namespace Pipekit.Sync.Columns;

/// <summary>
/// A small, tolerant reader of a source query's top-level SELECT list (seed 002 "column editor"): it skips
/// leading CTEs, splits the list on commas outside parentheses, quotes and comments, separates
/// <c>expr AS alias</c> and <c>expr alias</c>, and stops at the top-level FROM. It does not validate SQL; for a
/// query it cannot read it says so, and raw editing always works.
/// </summary>
public static class SelectListParser
{
    // Words after which a trailing identifier is part of the expression, not an alias.
    private static readonly HashSet<string> NotAfter = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "DISTINCT", "ALL", "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE",
        "AS", "COLLATE", "ESCAPE", "INTERVAL", "ON", "BY", "OVER", "FILTER", "WITHIN",
    };

    // Words that end an expression themselves and are never an alias.
    private static readonly HashSet<string> NeverAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        "END", "NULL", "TRUE", "FALSE", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "THEN", "ELSE", "DESC", "ASC",
    };

    // Top-level words that end the SELECT list when a query has no FROM.
    private static readonly HashSet<string> ListEnd = new(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "FETCH", "OFFSET",
    };

    public static SelectList Parse(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) return new SelectList([], "the query is empty");
        var tokens = Tokenize(sql);
        if (tokens is null) return new SelectList([], "the query has an unterminated quote or comment");

        // The first SELECT at parenthesis depth 0: CTE bodies are inside parentheses, so WITH … AS (…) is skipped.
        var start = tokens.FindIndex(t => t.Depth == 0 && t.IsWord("SELECT"));
        if (start < 0) return new SelectList([], "no top-level SELECT found");
        var i = start + 1;
        while (i < tokens.Count && tokens[i].Depth == 0 && (tokens[i].IsWord("DISTINCT") || tokens[i].IsWord("ALL")))
        {
            i++;
            // PostgreSQL's DISTINCT ON (…)
            if (i < tokens.Count && tokens[i].IsWord("ON") && i + 1 < tokens.Count && tokens[i + 1].Text == "(")
                i = SkipParenthesis(tokens, i + 1);
        }
        if (i < tokens.Count && tokens[i].IsWord("TOP"))
        {
            i = i + 1 < tokens.Count && tokens[i + 1].Text == "(" ? SkipParenthesis(tokens, i + 1) : i + 2;
            if (i < tokens.Count && tokens[i].IsWord("PERCENT")) i++;
            if (i + 1 < tokens.Count && tokens[i].IsWord("WITH") && tokens[i + 1].IsWord("TIES")) i += 2;
        }

        var items = new List<List<Token>>();
        var current = new List<Token>();
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Depth == 0 && (ListEnd.Contains(t.Text) && t.Kind == TokenKind.Word || t.Text == ";")) break;
            if (t.Depth == 0 && t.Text == ",")
            {
                items.Add(current);
                current = [];
                continue;
            }
            current.Add(t);
        }
        items.Add(current);
        if (items.Any(item => item.Count == 0)) return new SelectList([], "the SELECT list has an empty item (a stray comma?)");
        // A UNION has one SELECT list per branch; editing only the first would break the others.
        if (tokens.Skip(i).Any(t => t.Depth == 0 && IsSetOperator(t)))
            return new SelectList([], "the query combines several SELECTs (UNION, EXCEPT or INTERSECT), so it has more than one SELECT list");

        var columns = new List<SelectColumn>();
        foreach (var item in items)
            columns.Add(ReadItem(sql, columns.Count + 1, item));
        var first = items[0][0];
        var lastItem = items[^1][^1];
        var quote = tokens.FirstOrDefault(t => t.Kind == TokenKind.Quoted)?.Text[0] ?? '"';
        return new SelectList(columns, null) { Start = first.Start, End = lastItem.Start + lastItem.Text.Length, Quote = quote };
    }

    private static SelectColumn ReadItem(string sql, int position, List<Token> item)
    {
        string? alias = null;
        var exprEnd = item.Count;
        var last = item[^1];
        if (item.Count >= 3 && item[^2].Depth == 0 && item[^2].IsWord("AS") && last.IsIdentifier)
        {
            alias = Unquote(last.Text);
            exprEnd = item.Count - 2;
        }
        else if (item.Count >= 2 && last.Depth == 0 && last.IsIdentifier && !NeverAlias.Contains(last.Text) && EndsExpression(item[^2]))
        {
            alias = Unquote(last.Text);
            exprEnd = item.Count - 1;
        }
        var expression = sql[item[0].Start..(item[exprEnd - 1].Start + item[exprEnd - 1].Text.Length)].Trim();
        var text = sql[item[0].Start..(item[^1].Start + item[^1].Text.Length)];
        return new SelectColumn(position, expression, alias, alias ?? BareColumnName(item.Take(exprEnd).ToList())) { Text = text, Offset = item[0].Start };
    }

    private static bool IsSetOperator(Token t) => t.Kind == TokenKind.Word && (t.IsWord("UNION") || t.IsWord("EXCEPT") || t.IsWord("INTERSECT") || t.IsWord("MINUS"));

    // A trailing identifier is an alias only when what comes before it could end an expression.
    private static bool EndsExpression(Token previous) => previous.Kind switch
    {
        TokenKind.Word => !NotAfter.Contains(previous.Text),
        TokenKind.Quoted or TokenKind.String or TokenKind.Number => true,
        TokenKind.Symbol => previous.Text is ")" or "*",
        _ => false,
    };

    // a, t.a, "T"."A" → the last part; anything else has no name that can be told from the text.
    private static string? BareColumnName(List<Token> expr)
    {
        for (var i = 0; i < expr.Count; i++)
        {
            var expectName = i % 2 == 0;
            if (expectName ? !expr[i].IsIdentifier : expr[i].Text != ".") return null;
        }
        return expr.Count % 2 == 1 ? Unquote(expr[^1].Text) : null;
    }

    private static int SkipParenthesis(List<Token> tokens, int open)
    {
        var depth = tokens[open].Depth;
        var i = open + 1;
        while (i < tokens.Count && !(tokens[i].Text == ")" && tokens[i].Depth == depth)) i++;
        return i + 1;
    }

    private static string Unquote(string text) => text[0] switch
    {
        '"' => text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal),
        '[' => text[1..^1].Replace("]]", "]", StringComparison.Ordinal),
        '`' => text[1..^1].Replace("``", "`", StringComparison.Ordinal),
        _ => text,
    };

    internal enum TokenKind
    {
        Word,
        Quoted,
        String,
        Number,
        Symbol,
    }

    // Depth is the parenthesis depth the token sits at; a "(" or ")" has the depth outside it.
    internal sealed record Token(string Text, TokenKind Kind, int Start, int Depth)
    {
        public bool IsWord(string word) => Kind == TokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        public bool IsIdentifier => Kind is TokenKind.Word or TokenKind.Quoted;
    }

    internal static List<Token>? Tokenize(string sql)
    {
        var tokens = new List<Token>();
        var depth = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }
            if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                i = end + 2;
                continue;
            }
            var start = i;
            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                i++;
                while (true)
                {
                    if (i >= sql.Length) return null;
                    if (sql[i] == close)
                    {
                        if (At(sql, i + 1) == close && close != ']') { i += 2; continue; }
                        if (close == ']' && At(sql, i + 1) == ']') { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                tokens.Add(new Token(sql[start..i], c == '\'' ? TokenKind.String : TokenKind.Quoted, start, depth));
                continue;
            }
            if (char.IsLetter(c) || c is '_' or '$' or '#' or '@')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$' or '#' or '@')) i++;
                tokens.Add(new Token(sql[start..i], TokenKind.Word, start, depth));
                continue;
            }
            if (char.IsDigit(c))
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '.')) i++;
                tokens.Add(new Token(sql[start..i], TokenKind.Number, start, depth));
                continue;
            }
            if (c == '(') { tokens.Add(new Token("(", TokenKind.Symbol, start, depth)); depth++; i++; continue; }
            if (c == ')') { depth = Math.Max(0, depth - 1); tokens.Add(new Token(")", TokenKind.Symbol, start, depth)); i++; continue; }
            // Multi-character operators (::, ||, <=, ->>) stay together so "a::int" is one expression, not "a" aliased.
            while (i < sql.Length && IsOperator(sql[i]) && (i == start || IsOperator(sql[i]))) { i++; if (!IsOperator(c)) break; }
            if (i == start) i++;
            tokens.Add(new Token(sql[start..i], TokenKind.Symbol, start, depth));
        }
        return tokens;
    }

    private static bool IsOperator(char c) => c is ':' or '|' or '<' or '>' or '=' or '!' or '-' or '+' or '/' or '%' or '^' or '&' or '~';

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';
}
