using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Pipekit.Core.Configuration;

/// <summary>
/// Reads a flat TOML file (tables of scalar keys) into entries that keep their line numbers, so that
/// an unknown key or a bad value can be reported as <c>file:line: key</c>.
/// </summary>
internal static class TomlEntryReader
{
    public static IReadOnlyList<TomlEntry> Read(string text, string path)
    {
        var doc = SyntaxParser.Parse(text, path, true);
        if (doc.HasErrors)
        {
            var first = doc.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw new ConfigException($"{path}:{first.Span.Start.Line + 1}: {first.Message}");
        }

        var entries = new List<TomlEntry>();
        foreach (var kv in doc.KeyValues)
            entries.Add(ToEntry("", kv, path));
        foreach (var table in doc.Tables)
        {
            var name = KeyText(table.Name);
            if (table is TableArraySyntax)
                throw new ConfigException($"{path}:{table.Span.Start.Line + 1}: [[{name}]] is not a setting section");
            foreach (var item in table.Items)
                entries.Add(ToEntry(name, item, path));
        }
        return entries;
    }

    private static TomlEntry ToEntry(string table, KeyValueSyntax kv, string path)
    {
        var key = KeyText(kv.Key);
        var line = kv.Span.Start.Line + 1;
        object? value = kv.Value switch
        {
            StringValueSyntax s => s.Value,
            IntegerValueSyntax i => i.Value,
            BooleanValueSyntax b => b.Value,
            FloatValueSyntax f => f.Value,
            ArraySyntax a => a.Items.Select(item => item.Value is StringValueSyntax s ? s.Value : item.Value?.ToString()?.Trim()).ToList(),
            null => null,
            var other => other.ToString()?.Trim(),
        };
        return new TomlEntry(table, key, value, line);
    }

    private static string KeyText(KeySyntax? key) =>
        key is null ? "" : key.ToString().Trim().Replace("\"", "", StringComparison.Ordinal);
}
