using Tomlyn.Syntax;

namespace Pipekit.Pipelines.Projects;

// Reads keys and values off Tomlyn's syntax tree, which keeps the line numbers that messages need.
internal static class TomlSyntaxValues
{
    public static string KeyName(KeySyntax? key)
    {
        if (key is null) return "";
        var parts = new List<string> { Part(key.Key) };
        foreach (var dotted in key.DotKeys) parts.Add(Part(dotted.Key));
        return string.Join('.', parts);
    }

    public static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;

    // A TOML value as .NET: string, long, double, bool, a list for arrays, a dictionary for inline tables,
    // or the source text for dates.
    public static object? Value(ValueSyntax? value) => value switch
    {
        null => null,
        StringValueSyntax s => s.Value ?? "",
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f => f.Value,
        BooleanValueSyntax b => b.Value,
        ArraySyntax a => a.Items.Select(item => Value(item.Value)).ToList(),
        InlineTableSyntax t => t.Items.Where(item => item.KeyValue is not null)
            .ToDictionary(item => KeyName(item.KeyValue!.Key), item => Value(item.KeyValue!.Value), StringComparer.Ordinal),
        var other => other.ToString()?.Trim(),
    };

    public static string Describe(object? value) => value switch
    {
        null => "nothing",
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        IDictionary<string, object?> => "a table",
        System.Collections.IEnumerable => "an array",
        _ => "a date",
    };

    private static string Part(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
