using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipekit.Core.Secrets;

/// <summary>
/// The forms a secret value takes on its way into a text Pipekit stores or prints: quoted for SQL (<c>'</c> doubled, or
/// backslash-escaped as MySQL does), escaped for JSON or HTML, percent-encoded for a URI in full, as a form, or only where a
/// URI needs it (<c>S3cr3t-V%40lue!</c>), with upper- or lower-case hex. The redactor masks every one of them.
/// </summary>
internal static class SecretEncodings
{
    // The characters a person percent-encodes by hand in a URI's user info or query: the delimiters, '%' itself, and
    // (in a second variant) the space.
    private const string Delimiters = ":/?#[]@%";

    private static readonly JavaScriptEncoder RelaxedJson = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static IEnumerable<string> Of(string value)
    {
        yield return value;
        yield return value.Replace("'", "''", StringComparison.Ordinal);
        yield return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        yield return JsonEncodedText.Encode(value).ToString();
        yield return JsonEncodedText.Encode(value, RelaxedJson).ToString();
        yield return HtmlEncoder.Default.Encode(value);
        yield return WebUtility.HtmlEncode(value);
        foreach (var escaped in new[]
                 {
                     Uri.EscapeDataString(value), WebUtility.UrlEncode(value), Escape(value, Delimiters), Escape(value, Delimiters + " "),
                 })
        {
            yield return escaped;
            yield return LowerHex(escaped);
        }
    }

    /// <summary>The value with only <paramref name="reserved"/> characters percent-encoded (as UTF-8), upper-case hex.</summary>
    private static string Escape(string value, string reserved)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (reserved.Contains(c)) text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        return text.ToString();
    }

    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] != '%') continue;
            chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
            chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
        }
        return new string(chars);
    }
}
