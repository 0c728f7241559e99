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
        if (string.IsNullOrWhiteSpace(record.Name) || !NamePattern().IsMatch(record.Name) || record.Name.StartsWith('.') || record.Name.Contains("..", StringComparison.Ordinal))
            errors.Add("name", "must be 1-64 letters, digits, '_', '-' or '.', not starting with '.' nor holding '..'");
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
        if (!string.IsNullOrWhiteSpace(record.Url) && record.Url.Contains(Secrets.Redactor.Mask, StringComparison.Ordinal))
            errors.Add("url", $"holds '{Secrets.Redactor.Mask}', the mask a response puts over a secret's value; send the connection's real URL");
        // The message names the form found, never the value: the value is the secret.
        if (!urlIsSecret && !string.IsNullOrWhiteSpace(record.Url) && ConnectionPasswordForms.Find(record.Url) is { } form)
            errors.Add("url", $"must not contain a password (it holds {form}); store the password with 'pipekit secrets set NAME' and give the connection the $NAME reference as its password instead");
        if (!urlIsSecret && !string.IsNullOrWhiteSpace(record.Url) && ServerAuthority.Problem(record.Url.Trim()) is { } hostProblem)
            errors.Add("url", hostProblem);
        if (record.Id != 0 && record.DefaultDestConnectionId == record.Id)
            errors.Add("default_dest_connection_id", $"connection {record.Id} cannot be its own default destination; name another connection or 0 for none");

        errors.ThrowIfAny();
        return record with { Driver = driver!.Kind, Url = urlIsSecret ? record.Url!.Trim() : record.Url! };
    }

    /// <summary>True when a connection's whole URL is a <c>$NAME</c> secret reference, resolved like a password.</summary>
    public static bool IsSecretReference(string? url) => url is not null && SecretReferencePattern().IsMatch(url.Trim());

    [GeneratedRegex(@"\A[A-Za-z0-9_.\-]{1,64}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\A\$[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex SecretReferencePattern();
}
