namespace Pipekit.Core.Drivers;

/// <summary>
/// Removes secrets from provider messages before they reach a <see cref="DriverException"/>. Providers
/// normally keep passwords out of their messages, but a connection-string parse error may quote a value.
/// </summary>
internal static class MessageScrubber
{
    public const string Mask = "***";

    public static string Scrub(string message, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
                message = message.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return message;
    }
}
