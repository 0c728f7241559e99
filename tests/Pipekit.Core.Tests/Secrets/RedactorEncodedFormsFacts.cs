using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipekit.Core.Secrets;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

/// <summary>
/// A secret is masked in every form it takes on its way into a text: quoted for SQL, escaped for JSON or HTML,
/// percent-encoded in full, as a form, or only where a URI needs it.
/// </summary>
public sealed class RedactorEncodedFormsFacts
{
    private const string Value = "S3cr3t-V@lue! it's \"q\" a\\b +/:é";

    public static TheoryData<string, string> Forms => new()
    {
        { "raw", Value },
        { "SQL-quoted", Value.Replace("'", "''", StringComparison.Ordinal) },
        { "backslash-quoted", Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) },
        { "JSON-escaped", JsonSerializer.Serialize(Value)[1..^1] },
        { "JSON-escaped, relaxed", JsonEncodedText.Encode(Value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() },
        { "HTML-encoded", HtmlEncoder.Default.Encode(Value) },
        { "URI data-escaped", Uri.EscapeDataString(Value) },
        { "URI data-escaped, lower-case hex", LowerHex(Uri.EscapeDataString(Value)) },
        { "form-encoded", WebUtility.UrlEncode(Value) },
        { "form-encoded, lower-case hex", System.Web.HttpUtility.UrlEncode(Value) },
        { "reserved characters only", "S3cr3t-V%40lue! it's \"q\" a\\b +%2F%3Aé" },
        { "reserved characters only, space too", "S3cr3t-V%40lue!%20it's%20\"q\"%20a\\b%20+%2F%3Aé" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_encoded_form_of_a_secret_is_masked(string form, string text)
    {
        var redactor = new Redactor([Value]);

        Assert.True(redactor.Redact($"before {text} after") == "before *** after", $"{form} form was not masked: {redactor.Redact(text)}");
    }

    [Fact]
    public void The_issue_example_is_masked_when_only_the_at_sign_is_encoded()
    {
        var redactor = new Redactor(["S3cr3t-V@lue!"]);

        Assert.Equal("postgres://u:***@h/db", redactor.Redact("postgres://u:S3cr3t-V%40lue!@h/db"));
        Assert.Equal("WHERE p = '***'", redactor.Redact("WHERE p = 'S3cr3t-V@lue!'"));
    }

    [Fact]
    public void A_registered_value_gets_its_encoded_forms_too()
    {
        var redactor = new Redactor([]);
        redactor.Register("pa'ss word");

        Assert.Equal("x *** y *** z ***", redactor.Redact("x pa''ss word y pa%27ss%20word z pa%27ss+word"));
    }

    private static string LowerHex(string escaped) =>
        System.Text.RegularExpressions.Regex.Replace(escaped, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
}
