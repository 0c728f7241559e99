using System.Text;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Pipekit.Core.Secrets;

// A TOML secrets file: [global] and one [project] section each, holding string keys only.
// Parsed with Tomlyn's lossless syntax tree, whose spans let an edit replace or remove exactly one entry's text.
internal sealed class TomlSecretsDocument : ISecretsDocument
{
    private readonly string _text;
    private readonly List<Section> _sections;

    private TomlSecretsDocument(string text, List<Section> sections,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> tables)
    {
        _text = text;
        _sections = sections;
        Tables = tables;
        var map = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var section in sections)
            map[section.Name] = section.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        Sections = map;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Tables { get; }

    public static TomlSecretsDocument Parse(string path, string text)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, path, validate: true);
        }
        catch (Exception)
        {
            // Diagnostics are the parser's normal error channel; an exception would be a parser bug, and its
            // message could quote the file. Say only that the file is not TOML.
            throw new SecretsException($"{path}: syntax error: not valid TOML");
        }

        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind != DiagnosticMessageKind.Error) continue;
            var start = diagnostic.Span.Start;
            throw new SecretsException(
                $"{path}:{start.Line + 1}: syntax error: {DescribeSyntaxError(diagnostic.Message)} (column {start.Column + 1})");
        }

        foreach (var keyValue in document.KeyValues)
            throw At(path, keyValue.Span,
                $"secret '{KeyName(keyValue.Key)}' is outside any section; put it under [global] or a [project] section");

        var sections = new List<Section>();
        var tables = new Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var table in document.Tables)
        {
            if (table is TableArraySyntax)
                throw At(path, table.Span, "arrays of tables ([[...]]) are not allowed in a secrets file; use [section] headers");
            var name = table.Name ?? throw At(path, table.Span, "section header without a name");
            if (name.DotKeys.ChildrenCount > 1)
                throw At(path, table.Span,
                    $"section [{name.ToString().Trim()}] is nested too deep; a secret table is [project.secret], and a project name with dots is quoted, as [\"a.b\"]");
            if (name.DotKeys.ChildrenCount == 1)
            {
                // [project.secret]: a secret whose value is a table of fields (host, user, password, ...).
                var owner = KeyName(name);
                var secret = PartName(name.DotKeys.GetChild(0)!.Key);
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var item in table.Items)
                    AddField(path, owner, secret, fields, item);
                TableSection(tables, owner)[secret] = fields;
                continue;
            }

            var section = new Section(KeyName(name), SecretsDocument.LineEnd(text, name.Span.End.Offset));
            foreach (var item in table.Items)
            {
                var itemKey = item.Key ?? throw At(path, item.Span, "entry without a key");
                if (itemKey.DotKeys.ChildrenCount > 0)
                    throw At(path, item.Span,
                        $"dotted key {itemKey.ToString().Trim()} in [{section.Name}] is not allowed; quote a key that has dots, as \"a.b\"");
                var key = KeyName(itemKey);
                if (item.Value is InlineTableSyntax inline)
                {
                    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var field in inline.Items)
                        if (field.KeyValue is { } fieldValue) AddField(path, KeyName(name), key, fields, fieldValue);
                    TableSection(tables, KeyName(name))[key] = fields;
                    continue;
                }
                if (item.Value is not StringValueSyntax value)
                    throw At(path, item.Span, $"secret '{key}' in [{section.Name}] must be a quoted string");
                section.Entries.Add(new Entry(key, value.Value ?? "", itemKey.Span.Start.Offset,
                    value.Span.Start.Offset, value.Span.End.Offset + 1));
            }
            sections.Add(section);
        }
        return new TomlSecretsDocument(text, sections,
            tables.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>)t.Value, StringComparer.Ordinal));
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> TableSection(
        Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, string>>> tables, string section)
    {
        if (!tables.TryGetValue(section, out var secrets)) tables[section] = secrets = new(StringComparer.Ordinal);
        return secrets;
    }

    // One field of a table-valued secret: strings, and integers or booleans as their TOML text (a port is a number).
    private static void AddField(string path, string section, string secret, Dictionary<string, string> fields, KeyValueSyntax item)
    {
        var fieldKey = item.Key ?? throw At(path, item.Span, "entry without a key");
        if (fieldKey.DotKeys.ChildrenCount > 0)
            throw At(path, item.Span, $"dotted key {fieldKey.ToString().Trim()} in secret {section}.{secret} is not allowed; quote a field name that has dots");
        var field = KeyName(fieldKey);
        fields[field] = item.Value switch
        {
            StringValueSyntax s => s.Value ?? "",
            IntegerValueSyntax i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BooleanValueSyntax b => b.Value ? "true" : "false",
            _ => throw At(path, item.Span, $"field '{field}' of secret {section}.{secret} must be a quoted string, an integer or a boolean"),
        };
    }

    public string WithSecret(string section, string key, string value)
    {
        if (Tables.TryGetValue(section, out var tableSecrets) && tableSecrets.ContainsKey(key))
            throw new SecretsException($"secret '{key}' in [{section}] is a table of fields; edit its fields in the file");
        var encoded = TomlEncoding.BasicString(value);
        var newLine = SecretsDocument.NewLineOf(_text);
        var target = _sections.Find(s => s.Name == section);
        if (target is null)
        {
            var builder = new StringBuilder(_text);
            if (_text.Length > 0)
            {
                if (!_text.EndsWith('\n')) builder.Append(newLine);
                if (!EndsWithBlankLine(builder)) builder.Append(newLine);
            }
            builder.Append('[').Append(TomlEncoding.Key(section)).Append(']').Append(newLine)
                .Append(TomlEncoding.Key(key)).Append(" = ").Append(encoded).Append(newLine);
            return builder.ToString();
        }

        var existing = target.Entries.Find(e => e.Key == key);
        if (existing is not null)
            return string.Concat(_text.AsSpan(0, existing.ValueStart), encoded, _text.AsSpan(existing.ValueEnd));

        // After the section's last entry rather than before the next header, so that comments and blank lines
        // introducing the next section stay with it.
        var last = target.Entries.Count > 0 ? target.Entries[^1] : null;
        var at = last is null ? target.HeaderLineEnd : SecretsDocument.LineEnd(_text, last.ValueEnd - 1);
        var indent = last is null ? "" : _text[SecretsDocument.LineStart(_text, last.KeyStart)..last.KeyStart];
        var line = indent + TomlEncoding.Key(key) + " = " + encoded + newLine;
        if (at == _text.Length && at > 0 && _text[^1] != '\n') line = newLine + line;
        return _text.Insert(at, line);
    }

    public string? WithoutSecret(string section, string key)
    {
        var entry = _sections.Find(s => s.Name == section)?.Entries.Find(e => e.Key == key);
        if (entry is null) return null;
        var start = SecretsDocument.LineStart(_text, entry.KeyStart);
        var end = SecretsDocument.LineEnd(_text, entry.ValueEnd - 1);
        return _text.Remove(start, end - start);
    }

    private static bool EndsWithBlankLine(StringBuilder builder)
    {
        // The builder ends with a line break here; look at what precedes it.
        var i = builder.Length - 1;
        if (i > 0 && builder[i] == '\n' && builder[i - 1] == '\r') i--;
        return i > 0 && builder[i - 1] == '\n';
    }

    private static string PartName(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    private static string KeyName(KeySyntax? key) => key?.Key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    private static SecretsException At(string path, SourceSpan span, string message) =>
        new($"{path}:{span.Start.Line + 1}: {message}");

    // Tomlyn's diagnostics quote the offending token (Unexpected token `hunter2` for a value), and in a
    // secrets file that token can be a secret. Only our own wording for the kind of mistake leaves this method.
    private static string DescribeSyntaxError(string? message)
    {
        message ??= "";
        bool Has(string fragment) => message.Contains(fragment, StringComparison.OrdinalIgnoreCase);

        if (Has("already defined")) return "a key or section is defined twice";
        if (Has("newline in a string") || Has("End-Of-File found")) return "unterminated string";
        if (Has("escape")) return "invalid escape sequence in a string";
        if (Has("control character")) return "control character in a string; write it as an escape such as \\t";
        if (Has("unicode scalar") || Has("surrogate")) return "invalid Unicode escape in a string";
        if (Has("for a value") || Has("expecting a value")) return "expected a value; secrets must be quoted strings";
        if (Has("Expecting `=`")) return "expected '=' after a key";
        if (Has("expecting token `newline`")) return "expected the end of the line after a value";
        if (Has("closing `]`") || Has("for a base key")) return "malformed [section] header";
        return "not valid TOML";
    }

    private sealed class Section(string name, int headerLineEnd)
    {
        public string Name { get; } = name;

        // Where the first entry goes when the section has none.
        public int HeaderLineEnd { get; } = headerLineEnd;

        public List<Entry> Entries { get; } = [];
    }

    // One key = "value"; offsets into the text, ValueEnd exclusive.
    private sealed record Entry(string Key, string Value, int KeyStart, int ValueStart, int ValueEnd);
}
