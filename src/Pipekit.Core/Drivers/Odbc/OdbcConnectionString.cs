using System.Text;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// An ODBC connection string as ordered <c>key=value</c> attributes. Values may be brace-quoted
/// (<c>PWD={a;b}</c>, with <c>}}</c> standing for a literal <c>}</c>), which is how ODBC carries a
/// semicolon inside a value. Keys compare case-insensitively, as drivers treat them.
/// </summary>
internal sealed class OdbcConnectionString
{
    private static readonly string[] PasswordKeys = ["PWD", "Password"];
    private static readonly string[] UserKeys = ["UID", "User", "UserName", "UserID"];

    // Braced remembers that the user wrote {value}, so formatting keeps Driver={PostgreSQL Unicode} as written.
    private readonly List<(string Key, string Value, bool Braced)> _attributes;

    private OdbcConnectionString(List<(string Key, string Value, bool Braced)> attributes)
    {
        _attributes = attributes;
    }

    public IEnumerable<KeyValuePair<string, string>> Attributes => _attributes.Select(a => KeyValuePair.Create(a.Key, a.Value));

    /// <summary>The password values present, so that error text can be scrubbed of them.</summary>
    public IEnumerable<string> Secrets =>
        _attributes.Where(a => IsOneOf(a.Key, PasswordKeys) && a.Value.Length > 0).Select(a => a.Value);

    public static OdbcConnectionString Parse(string text)
    {
        var attributes = new List<(string Key, string Value, bool Braced)>();
        var i = 0;
        var part = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ';' || char.IsWhiteSpace(text[i]))) i++;
            if (i >= text.Length) break;
            part++;
            var eq = text.IndexOf('=', i);
            if (eq < 0)
                // the text is not echoed: a malformed part may well be a password
                throw new FormatException($"ODBC connection string part {part} has no '='; write key=value pairs separated by ';'");
            var key = text[i..eq].Trim();
            if (key.Length == 0)
                throw new FormatException("ODBC connection string has an attribute with an empty key");
            i = eq + 1;
            while (i < text.Length && text[i] == ' ') i++;
            string value;
            var braced = false;
            if (i < text.Length && text[i] == '{')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '}')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '}') { sb.Append('}'); i += 2; continue; }
                        i++;
                        closed = true;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                if (!closed)
                    throw new FormatException($"ODBC connection string value of '{key}' opens '{{' without a closing '}}'");
                value = sb.ToString();
                braced = true;
                while (i < text.Length && text[i] != ';') i++;
            }
            else
            {
                var end = text.IndexOf(';', i);
                if (end < 0) end = text.Length;
                value = text[i..end].Trim();
                i = end;
            }
            attributes.Add((key, value, braced));
        }
        return new OdbcConnectionString(attributes);
    }

    public string? Get(string key) =>
        _attributes.Where(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase)).Select(a => a.Value).LastOrDefault();

    public bool IsEmpty => _attributes.Count == 0;

    /// <summary>Replaces whatever user name the string carries with <paramref name="user"/>.</summary>
    public void SetUser(string user)
    {
        _attributes.RemoveAll(a => IsOneOf(a.Key, UserKeys));
        _attributes.Add(("UID", user, false));
    }

    /// <summary>Replaces whatever password the string carries with <paramref name="password"/>.</summary>
    public void SetPassword(string password)
    {
        _attributes.RemoveAll(a => IsOneOf(a.Key, PasswordKeys));
        _attributes.Add(("PWD", password, false));
    }

    public override string ToString() => Format(hidePasswords: false);

    /// <summary>The string with every password replaced by <c>***</c>, safe to show.</summary>
    public string ToRedactedString() => Format(hidePasswords: true);

    /// <summary>Brace-quotes a value when a driver would otherwise split or trim it.</summary>
    public static string QuoteValue(string value, bool alwaysBrace = false)
    {
        var needsBraces = alwaysBrace || (value.Length > 0 &&
            (value.IndexOfAny([';', '{', '}']) >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        return needsBraces ? "{" + value.Replace("}", "}}", StringComparison.Ordinal) + "}" : value;
    }

    private string Format(bool hidePasswords) =>
        string.Join(';', _attributes.Select(a =>
            a.Key + "=" + (hidePasswords && IsOneOf(a.Key, PasswordKeys) ? "***" : QuoteValue(a.Value, a.Braced))));

    private static bool IsOneOf(string key, string[] keys) =>
        keys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
