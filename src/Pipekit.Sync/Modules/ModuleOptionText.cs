using Pipekit.Core.Retries;

namespace Pipekit.Sync.Modules;

/// <summary>
/// The stored and written forms of the module options (<c>add_columns</c>, <c>soft</c>, …): the same words in the
/// state store, the API, module files and the CLI.
/// </summary>
public static class ModuleOptionText
{
    public static string ToText(this DeleteDetection value) => value.ToString().ToLowerInvariant();

    public static string ToText(this VerifyMode value) => value.ToString().ToLowerInvariant();

    public static string ToText(this FullLoad value) => value.ToString().ToLowerInvariant();

    public static string ToText(this SchemaChangeRule value) => value switch
    {
        SchemaChangeRule.AddColumns => "add_columns",
        _ => value.ToString().ToLowerInvariant(),
    };

    public static string ToText(this RetryBackoff value) => value.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out RetryBackoff value) => TryParseWord(text, out value);

    public static bool TryParse(string? text, out DeleteDetection value) => TryParseWord(text, out value);

    public static bool TryParse(string? text, out VerifyMode value) => TryParseWord(text, out value);

    public static bool TryParse(string? text, out FullLoad value) => TryParseWord(text, out value);

    public static bool TryParse(string? text, out SchemaChangeRule value)
    {
        value = text switch { "add_columns" => SchemaChangeRule.AddColumns, "evolve" => SchemaChangeRule.Evolve, _ => SchemaChangeRule.Fail };
        return text is "fail" or "add_columns" or "evolve";
    }

    // Enum.TryParse alone would accept "1" and " hard"; only the words are allowed.
    private static bool TryParseWord<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && text.Length > 0 && text.All(char.IsAsciiLetterLower) && Enum.TryParse(text, ignoreCase: true, out value);
    }
}
