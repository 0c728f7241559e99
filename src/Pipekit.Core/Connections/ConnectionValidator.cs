using System.Data.Common;
using System.Text.RegularExpressions;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Connections;

/// <summary>
/// Checks a connection before it is stored: a known driver (inferred from the URI scheme when not given),
/// a known dialect, and no literal password anywhere, because passwords never live in the state database.
/// </summary>
public sealed partial class ConnectionValidator
{
    private readonly DriverRegistry _drivers;

    public ConnectionValidator(DriverRegistry drivers)
    {
        _drivers = drivers;
    }

    /// <summary>Returns the record with its driver filled in, or throws <see cref="ValidationException"/>.</summary>
    public ConnectionRecord Validate(ConnectionRecord record)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(record.Name) || !NamePattern().IsMatch(record.Name))
            errors.Add("name", "must be 1-64 letters, digits, '_', '-' or '.'");
        if (string.IsNullOrWhiteSpace(record.Url))
            errors.Add("url", "is required (a URI such as postgres://user@host/db, or a native connection string with driver)");

        IDriver? driver = null;
        var urlIsSecret = IsSecretReference(record.Url);
        if (urlIsSecret && string.IsNullOrWhiteSpace(record.Driver))
            errors.Add("driver", $"is required when the URL is a secret reference ({record.Url.Trim()}): the driver cannot be read from it; give it (--driver postgres, or driver = \"postgres\" in a project file)");
        else if (!string.IsNullOrWhiteSpace(record.Url) || !string.IsNullOrWhiteSpace(record.Driver))
        {
            try
            {
                driver = _drivers.Resolve(record.Driver, record.Url ?? "");
            }
            catch (DriverException ex)
            {
                errors.Add("driver", ex.Message);
            }
        }
        if (driver is not null && !string.IsNullOrWhiteSpace(record.Dialect))
        {
            try
            {
                driver.GetDialect(record.Dialect);
            }
            catch (DriverException ex)
            {
                errors.Add("dialect", ex.Message);
            }
        }

        if (!string.IsNullOrEmpty(record.Password) && !SecretReferencePattern().IsMatch(record.Password))
            errors.Add("password", "must be empty or a $NAME secret reference; store the value with 'pipekit secrets set NAME' and use --password '$NAME'");
        // A URL that is a secret reference may carry its password: the whole value lives in the secrets file.
        if (!urlIsSecret && !string.IsNullOrWhiteSpace(record.Url) && HasLiteralPassword(record.Url))
            errors.Add("url", "must not contain a password; store it with 'pipekit secrets set NAME' and use --password '$NAME'");

        errors.ThrowIfAny();
        return record with { Driver = driver!.Kind, Url = urlIsSecret ? record.Url!.Trim() : record.Url! };
    }

    /// <summary>True when a connection's whole URL is a <c>$NAME</c> secret reference, resolved like a password.</summary>
    public static bool IsSecretReference(string? url) => url is not null && SecretReferencePattern().IsMatch(url.Trim());

    private static bool HasLiteralPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var rest = url[(scheme + 3)..];
            var end = rest.IndexOfAny(['/', '?', '#']);
            var authority = end < 0 ? rest : rest[..end];
            var at = authority.LastIndexOf('@');
            return at > 0 && authority[..at].Contains(':');
        }
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = url };
            foreach (var key in new[] { "password", "pwd" })
                if (builder.TryGetValue(key, out var value) && value is string s && s.Length > 0 && !s.StartsWith('$'))
                    return true;
        }
        catch (ArgumentException)
        {
            // not a key=value string: nothing to look into
        }
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\$[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SecretReferencePattern();
}
