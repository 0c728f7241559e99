using System.Text;

namespace Pipekit.Core.Secrets;

// A KEY=VALUE secrets file (the seed's /etc/pipekit/secrets.env), read as [global].
// The reading follows systemd's EnvironmentFile=, which loads the same file for the service: blank lines and
// lines starting with # or ; are skipped; an "export " prefix is allowed; whitespace around the key and
// before the value is dropped; single quotes are literal; inside double quotes a backslash escapes only
// " \ $ ` and is kept before anything else; outside quotes a backslash escapes the next character and trailing
// whitespace is dropped. There is no $VAR expansion and no inline comment after a bare value (a # in a
// password is common). Stricter than systemd: a quoted value must end on its line and be followed by nothing but
// whitespace, so a file systemd would read differently is an error here rather than a silently different value.
// When a key repeats, the last line wins, as in systemd.
internal sealed class EnvSecretsDocument : ISecretsDocument
{
    private readonly string _text;
    private readonly List<Entry> _entries;
    private readonly string _path;

    private EnvSecretsDocument(string path, string text, List<Entry> entries)
    {
        _text = text;
        _entries = entries;
        _path = path;
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries) global[entry.Key] = entry.Value;
        Sections = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            [SecretsDocument.GlobalSection] = global,
        };
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; }

    public static EnvSecretsDocument Parse(string path, string text)
    {
        var entries = new List<Entry>();
        var lineNumber = 0;
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            lineNumber++;
            var lineEnd = SecretsDocument.LineEnd(text, lineStart);
            var line = text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd("\r\n");
            if (TryParseLine(line, out var key, out var value, out var error))
            {
                if (key is not null) entries.Add(new Entry(key, value, lineStart, lineEnd, StartsWithExport(line.TrimStart())));
            }
            else
            {
                throw new SecretsException($"{path}:{lineNumber}: syntax error: {error}");
            }
            lineStart = lineEnd;
        }
        return new EnvSecretsDocument(path, text, entries);
    }

    public string WithSecret(string section, string key, string value)
    {
        if (section != SecretsDocument.GlobalSection)
            throw new SecretsException(
                $"{_path} is an env-format secrets file, which holds only [global]; put project secrets for [{section}] in a TOML secrets file");
        if (!IsVariableName(key))
            throw new SecretsException(
                $"'{key}' is not a valid variable name for the env-format secrets file {_path}; use letters, digits and _, not starting with a digit");
        if (value.Any(c => char.IsControl(c) && c != '\t'))
            throw new SecretsException(
                $"secret '{key}' has a line break or control character, which the env-format secrets file {_path} cannot hold; use a TOML secrets file");

        var newLine = SecretsDocument.NewLineOf(_text);
        var matches = _entries.FindAll(e => e.Key == key);
        if (matches.Count == 0)
        {
            var separator = _text.Length > 0 && !_text.EndsWith('\n') ? newLine : "";
            return _text + separator + key + "=" + Encode(value) + newLine;
        }

        // Rewrite the line that wins (the last) and drop earlier duplicates, editing from the end so that
        // earlier offsets stay valid.
        var builder = new StringBuilder(_text);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            var entry = matches[i];
            builder.Remove(entry.LineStart, entry.LineEnd - entry.LineStart);
            if (i == matches.Count - 1)
            {
                var ending = _text.AsSpan(entry.LineStart, entry.LineEnd - entry.LineStart).EndsWith("\r\n") ? "\r\n"
                    : _text[entry.LineEnd - 1] == '\n' ? "\n" : "";
                builder.Insert(entry.LineStart, (entry.Export ? "export " : "") + key + "=" + Encode(value) + ending);
            }
        }
        return builder.ToString();
    }

    public string? WithoutSecret(string section, string key)
    {
        if (section != SecretsDocument.GlobalSection) return null;
        var matches = _entries.FindAll(e => e.Key == key);
        if (matches.Count == 0) return null;
        var builder = new StringBuilder(_text);
        for (var i = matches.Count - 1; i >= 0; i--)
            builder.Remove(matches[i].LineStart, matches[i].LineEnd - matches[i].LineStart);
        return builder.ToString();
    }

    internal static bool StartsWithExport(ReadOnlySpan<char> line) =>
        line.StartsWith("export") && line.Length > 6 && (line[6] == ' ' || line[6] == '\t');

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0])) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        return true;
    }

    // Bare when every character is plainly safe; double-quoted with shell escapes otherwise.
    private static string Encode(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c)))
            return value;
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '$' or '`') builder.Append('\\');
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    // Parses one line. True with a null key for a blank or comment line. The error text never quotes the line,
    // which may hold a secret.
    private static bool TryParseLine(ReadOnlySpan<char> line, out string? key, out string value, out string error)
    {
        key = null;
        value = "";
        error = "";
        var rest = line.TrimStart();
        if (rest.IsEmpty || rest[0] == '#' || rest[0] == ';') return true;
        if (StartsWithExport(rest)) rest = rest[7..].TrimStart();

        var equals = rest.IndexOf('=');
        if (equals < 0)
        {
            error = "expected KEY=VALUE";
            return false;
        }
        var name = rest[..equals].Trim();
        if (!IsVariableName(name))
        {
            error = "invalid variable name before '='; use letters, digits and _, not starting with a digit";
            return false;
        }
        rest = rest[(equals + 1)..].TrimStart();

        var builder = new StringBuilder(rest.Length);
        if (!rest.IsEmpty && (rest[0] == '\'' || rest[0] == '"'))
        {
            var quote = rest[0];
            var i = 1;
            var closed = false;
            while (i < rest.Length)
            {
                var c = rest[i++];
                if (c == quote)
                {
                    closed = true;
                    break;
                }
                if (quote == '"' && c == '\\' && i < rest.Length)
                {
                    var next = rest[i++];
                    if (next is not ('"' or '\\' or '$' or '`')) builder.Append('\\');
                    builder.Append(next);
                    continue;
                }
                builder.Append(c);
            }
            if (!closed)
            {
                error = quote == '"' ? "unterminated double quote" : "unterminated single quote";
                return false;
            }
            if (!rest[i..].IsWhiteSpace())
            {
                error = "unexpected text after the closing quote";
                return false;
            }
        }
        else
        {
            rest = rest.TrimEnd();
            for (var i = 0; i < rest.Length; i++)
            {
                if (rest[i] == '\\' && i + 1 < rest.Length) i++;
                builder.Append(rest[i]);
            }
        }
        key = name.ToString();
        value = builder.ToString();
        return true;
    }

    // One assignment line; LineEnd is just past its line break.
    private sealed record Entry(string Key, string Value, int LineStart, int LineEnd, bool Export);
}
