using System.Globalization;

namespace Pipekit.Core.Drivers;

/// <summary>
/// What a destination column type may look like in one engine's <c>CREATE TABLE</c>, checked when a module is saved
/// because the type is written into the DDL as it is. A type is a name of one or more words (<c>double precision</c>,
/// <c>character varying</c>), optionally followed by arguments in parentheses (<c>(10,2)</c>, <c>(max)</c>) and more
/// words (<c>with time zone</c>, <c>unsigned</c>, <c>CCSID 37</c>), and, where the engine has them, array brackets
/// (<c>integer[]</c>) or nested types (<c>STRUCT(a INTEGER)</c>). Anything else (a quote, a semicolon, a comment, a
/// constraint such as <c>PRIMARY KEY</c>) is refused.
/// </summary>
public sealed class ColumnTypeGrammar
{
    /// <summary>Words that start a column constraint or clause: never part of a type.</summary>
    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "null", "default", "primary", "key", "references", "check", "unique", "constraint", "generated", "as",
        "identity", "auto_increment", "autoincrement", "on", "cascade", "select", "create", "drop", "alter", "insert",
        "update", "delete", "table", "exec", "execute",
    };

    private const int MaxLength = 200;

    /// <summary>Names, numeric arguments and trailing words only (SQLite and anything without a grammar of its own).</summary>
    public static ColumnTypeGrammar Ansi { get; } = new("", arrays: false, nested: false, maxArgument: false, numberAfterWord: null);

    /// <summary>PostgreSQL: arrays (<c>integer[]</c>, <c>varchar(10)[]</c>).</summary>
    public static ColumnTypeGrammar Postgres { get; } = new("PostgreSQL", arrays: true, nested: false, maxArgument: false, numberAfterWord: null);

    /// <summary>SQL Server: <c>(max)</c>.</summary>
    public static ColumnTypeGrammar SqlServer { get; } = new("SQL Server", arrays: false, nested: false, maxArgument: true, numberAfterWord: null);

    /// <summary>MySQL and MariaDB: trailing attributes such as <c>unsigned</c>, <c>CHARACTER SET utf8mb4</c>.</summary>
    public static ColumnTypeGrammar MySql { get; } = new("MySQL", arrays: false, nested: false, maxArgument: false, numberAfterWord: null);

    /// <summary>DuckDB: arrays and nested types (<c>STRUCT(a INTEGER, b VARCHAR)</c>, <c>MAP(VARCHAR, INTEGER)</c>).</summary>
    public static ColumnTypeGrammar DuckDb { get; } = new("DuckDB", arrays: true, nested: true, maxArgument: false, numberAfterWord: null);

    /// <summary>DB2 for i: <c>CHAR(10) CCSID 37</c>, <c>VARCHAR(100) FOR BIT DATA</c>, sizes such as <c>BLOB(1M)</c>.</summary>
    public static ColumnTypeGrammar Db2i { get; } = new("DB2 for i", arrays: false, nested: false, maxArgument: false, numberAfterWord: "ccsid");

    /// <summary>Every engine's forms at once: for a module whose destination engine is not known.</summary>
    public static ColumnTypeGrammar Any { get; } = new("", arrays: true, nested: true, maxArgument: true, numberAfterWord: "ccsid");

    private readonly string _engine;
    private readonly bool _arrays;
    private readonly bool _nested;
    private readonly bool _maxArgument;
    private readonly string? _numberAfterWord;

    private ColumnTypeGrammar(string engine, bool arrays, bool nested, bool maxArgument, string? numberAfterWord)
    {
        _engine = engine;
        _arrays = arrays;
        _nested = nested;
        _maxArgument = maxArgument;
        _numberAfterWord = numberAfterWord;
    }

    /// <summary>What is wrong with <paramref name="type"/> for this engine, in one sentence, or null when it is a type.</summary>
    public string? Problem(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Length > MaxLength) return $"is longer than {MaxLength} characters";
        var reader = new Reader(type);
        var problem = ReadType(ref reader, depth: 0);
        if (problem is null && !reader.AtEnd) problem = $"'{Shown(type)}' has '{reader.Rest()}' after the type";
        return problem is null ? null : $"{problem}; a type is a name with optional (precision[,scale]){Forms()}, e.g. NUMERIC(10,2)";
    }

    private string Forms() =>
        (_arrays ? ", [] for an array" : "") + (_maxArgument ? ", (max)" : "") + (_nested ? ", nested types such as STRUCT(a INTEGER)" : "")
        + (_engine.Length > 0 ? $" in {_engine}" : "");

    private string? ReadType(ref Reader reader, int depth)
    {
        if (depth > 8) return "nests types too deeply";
        reader.SkipSpaces();
        var words = 0;
        while (reader.PeekWord() is { } word)
        {
            if (ClauseWords.Contains(word)) return $"holds '{word}', which is SQL, not part of a type";
            reader.Advance(word.Length);
            words++;
            reader.SkipSpaces();
            if (_numberAfterWord is not null && word.Equals(_numberAfterWord, StringComparison.OrdinalIgnoreCase))
            {
                if (reader.PeekNumber() is not { } number) return $"needs a number after {word}";
                reader.Advance(number.Length);
                reader.SkipSpaces();
            }
            if (reader.Peek() == '(')
            {
                if (words == 0) break;
                var arguments = ReadArguments(ref reader, depth);
                if (arguments is not null) return arguments;
                reader.SkipSpaces();
            }
        }
        if (words == 0) return reader.AtEnd ? "is empty" : $"starts with '{reader.Peek()}', not a type name";
        while (_arrays && reader.Peek() == '[')
        {
            reader.Advance(1);
            if (reader.PeekNumber() is { } size) reader.Advance(size.Length);
            if (reader.Peek() != ']') return "has an unclosed '['";
            reader.Advance(1);
            reader.SkipSpaces();
        }
        return null;
    }

    private string? ReadArguments(ref Reader reader, int depth)
    {
        reader.Advance(1);
        while (true)
        {
            reader.SkipSpaces();
            if (reader.PeekNumber() is { } number)
            {
                reader.Advance(number.Length);
                // DB2 sizes: BLOB(1M), CLOB(2G).
                if (reader.Peek() is 'K' or 'M' or 'G' or 'k' or 'm' or 'g' && _numberAfterWord is not null) reader.Advance(1);
            }
            else if (_maxArgument && reader.PeekWord() is { } max && max.Equals("max", StringComparison.OrdinalIgnoreCase))
            {
                reader.Advance(max.Length);
            }
            else if (_nested)
            {
                if (ReadType(ref reader, depth + 1) is { } inner) return inner;
            }
            else
            {
                return reader.AtEnd ? "has an unclosed '('" : $"has '{reader.Peek()}' where a number belongs in its parentheses";
            }
            reader.SkipSpaces();
            if (reader.Peek() == ',') { reader.Advance(1); continue; }
            if (reader.Peek() == ')') { reader.Advance(1); return null; }
            return reader.AtEnd ? "has an unclosed '('" : $"has '{reader.Peek()}' where ',' or ')' belongs";
        }
    }

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private ref struct Reader(string text)
    {
        private readonly string _text = text;
        private int _at;

        public readonly bool AtEnd => _at >= _text.Length;

        public readonly char Peek() => AtEnd ? '\0' : _text[_at];

        public void Advance(int count) => _at += count;

        public readonly string Rest() => Shown(_text[_at..]);

        public void SkipSpaces()
        {
            while (!AtEnd && _text[_at] == ' ') _at++;
        }

        public readonly string? PeekWord()
        {
            if (AtEnd || !(char.IsAsciiLetter(_text[_at]) || _text[_at] == '_')) return null;
            var end = _at;
            while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_')) end++;
            return _text[_at..end];
        }

        public readonly string? PeekNumber()
        {
            var end = _at;
            while (end < _text.Length && char.IsAsciiDigit(_text[end])) end++;
            return end == _at || end - _at > 9 || !int.TryParse(_text[_at..end], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : _text[_at..end];
        }
    }
}
