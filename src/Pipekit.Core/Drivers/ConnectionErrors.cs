using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Turns a provider's failure to connect into a <see cref="DriverException"/> that names the connection and
/// never carries the password: providers echo connection strings in some messages (bad keywords, parse errors).
/// </summary>
internal static class ConnectionErrors
{
    private const string Mask = "***";

    public static DriverException CannotOpen(ResolvedConnection connection, Exception error)
    {
        var message = Scrub(error.Message, connection.Password);
        var text = $"cannot connect to '{connection.Name}' ({connection.Driver}): {message}";
        // The inner exception goes along only when nothing in its chain could leak the secret.
        return Leaks(error, connection.Password) ? new DriverException(text) : new DriverException(text, error);
    }

    public static DriverException BadConnectionString(ResolvedConnection connection, string problem) =>
        new($"connection '{connection.Name}': {Scrub(problem, connection.Password)}");

    public static string Scrub(string message, string? password)
    {
        if (string.IsNullOrEmpty(password) || string.IsNullOrEmpty(message)) return message;
        var scrubbed = message.Replace(password, Mask, StringComparison.Ordinal);
        var escaped = Uri.EscapeDataString(password);
        return escaped == password ? scrubbed : scrubbed.Replace(escaped, Mask, StringComparison.Ordinal);
    }

    private static bool Leaks(Exception error, string? password)
    {
        if (string.IsNullOrEmpty(password)) return false;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains(password, StringComparison.Ordinal)) return true;
            if (e.Message.Contains(Uri.EscapeDataString(password), StringComparison.Ordinal)) return true;
            if (e is DbException { Data.Count: > 0 } && e.Data.Values.Cast<object?>().Any(v => v?.ToString()?.Contains(password, StringComparison.Ordinal) == true)) return true;
        }
        return false;
    }
}
