using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>Every form a secret value takes when it is quoted for SQL, escaped for JSON or HTML, or encoded for a URI.</summary>
internal static class SecretForms
{
    public static IReadOnlyList<(string Name, string Text)> Of(string value) =>
    [
        ("raw", value),
        ("SQL-quoted", value.Replace("'", "''", StringComparison.Ordinal)),
        ("backslash-quoted", value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)),
        ("JSON-escaped", JsonSerializer.Serialize(value)[1..^1]),
        ("JSON-escaped, relaxed", JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString()),
        ("HTML-encoded", HtmlEncoder.Default.Encode(value)),
        ("URI data-escaped", Uri.EscapeDataString(value)),
        ("URI data-escaped, lower-case hex", Regex.Replace(Uri.EscapeDataString(value), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant())),
        ("form-encoded", WebUtility.UrlEncode(value)),
        ("form-encoded, lower-case hex", System.Web.HttpUtility.UrlEncode(value)),
        ("reserved characters only", Regex.Replace(value, "[%:/?#\\[\\]@]", m => "%" + ((int)m.Value[0]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
    ];

    /// <summary>The forms that <paramref name="text"/> still holds, by name.</summary>
    public static IReadOnlyList<string> FoundIn(string text, string value) =>
        Of(value).Where(f => text.Contains(f.Text, StringComparison.Ordinal)).Select(f => f.Name).Distinct().ToList();

    /// <summary>
    /// A DuckDB expression that builds <paramref name="text"/> at run time from two halves, so the module definition never
    /// holds the whole value, while the error DuckDB raises with it does.
    /// </summary>
    public static string Built(string text)
    {
        var half = text.Length / 2;
        return $"concat('{Quote(text[..half])}', '{Quote(text[half..])}')";
    }

    private static string Quote(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
