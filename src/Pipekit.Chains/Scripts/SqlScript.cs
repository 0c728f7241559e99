using System.Text;

namespace Pipekit.Chains.Scripts;

/// <summary>
/// Splits a step file into statements at top-level semicolons, so a failure can name the line of the statement
/// that failed and the head's result is its last statement's. It knows the lexical forms that may hide a ';':
/// quoted strings and identifiers, <c>E'…'</c> escapes, <c>--</c> and nested <c>/* */</c> comments, and PostgreSQL
/// dollar quotes. Variable references (<c>@name</c>) are found with the same lexer and replaced by the engine's
/// placeholder, so a value is always bound as a parameter and never becomes SQL text.
/// </summary>
internal static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string text, Func<string, int, string>? placeholder = null, ISet<string>? variables = null)
    {
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var names = new List<string>();
        var line = 1;
        var startLine = 0;
        var meaningful = false;
        var i = 0;

        void Flush()
        {
            if (meaningful) statements.Add(new SqlStatement(current.ToString().Trim(), startLine, names.ToList()));
            current.Clear();
            names.Clear();
            meaningful = false;
        }

        void Begin()
        {
            if (!meaningful) { meaningful = true; startLine = line; }
        }

        void Copy(int end)
        {
            for (var k = i; k < end; k++) if (text[k] == '\n') line++;
            current.Append(text, i, end - i);
            i = end;
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '-' && next == '-')
            {
                var end = text.IndexOf('\n', i);
                Copy(end < 0 ? text.Length : end);
            }
            else if (c == '/' && next == '*')
            {
                Copy(BlockCommentEnd(text, i));
            }
            else if (c == '\'' )
            {
                Begin();
                var escapes = i > 0 && (text[i - 1] is 'E' or 'e') && (i < 2 || !IsWordChar(text[i - 2]));
                Copy(QuotedEnd(text, i, '\'', escapes));
            }
            else if (c == '"')
            {
                Begin();
                Copy(QuotedEnd(text, i, '"', backslashEscapes: false));
            }
            else if (c == '$' && DollarTag(text, i) is { } tag)
            {
                Begin();
                var close = text.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                Copy(close < 0 ? text.Length : close + tag.Length);
            }
            else if (c == ';')
            {
                i++;
                Flush();
            }
            else if (c == '@' && placeholder is not null && IsWordStart(next) && (i == 0 || !IsWordChar(text[i - 1])))
            {
                Begin();
                var end = i + 1;
                while (end < text.Length && IsWordChar(text[end])) end++;
                var name = text[(i + 1)..end];
                if (variables is null || variables.Contains(name))
                {
                    var ordinal = names.IndexOf(name);
                    if (ordinal < 0) { names.Add(name); ordinal = names.Count - 1; }
                    current.Append(placeholder(name, ordinal + 1));
                    i = end;
                }
                else Copy(end);
            }
            else
            {
                if (!char.IsWhiteSpace(c)) Begin();
                Copy(i + 1);
            }
        }
        Flush();
        return statements;
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static int BlockCommentEnd(string text, int start)
    {
        var depth = 0;
        var i = start;
        while (i < text.Length - 1)
        {
            if (text[i] == '/' && text[i + 1] == '*') { depth++; i += 2; }
            else if (text[i] == '*' && text[i + 1] == '/') { depth--; i += 2; if (depth == 0) return i; }
            else i++;
        }
        return text.Length;
    }

    private static int QuotedEnd(string text, int start, char quote, bool backslashEscapes)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (backslashEscapes && text[i] == '\\') { i += 2; continue; }
            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return text.Length;
    }

    /// <summary><c>$$</c> or <c>$tag$</c> at <paramref name="start"/>, or null (a <c>$1</c> parameter is not a tag).</summary>
    private static string? DollarTag(string text, int start)
    {
        if (start > 0 && IsWordChar(text[start - 1])) return null;
        var i = start + 1;
        if (i < text.Length && char.IsAsciiDigit(text[i])) return null;
        while (i < text.Length && IsWordChar(text[i])) i++;
        return i < text.Length && text[i] == '$' ? text[start..(i + 1)] : null;
    }
}
