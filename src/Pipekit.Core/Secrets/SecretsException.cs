using Pipekit.Core.Errors;

namespace Pipekit.Core.Secrets;

/// <summary>
/// A secrets error fit for a user: it names the secrets file, the section and the key, and never a secret value.
/// </summary>
public sealed class SecretsException : CannotDoHereException
{
    /// <summary>Creates an error with a message that must not contain a secret value.</summary>
    public SecretsException(string message) : base(message) { }

    /// <summary>Creates an error with a message that must not contain a secret value.</summary>
    public SecretsException(string message, Exception inner) : base(message, inner) { }

    internal static SecretsException FileNotFound(string path) =>
        new($"secrets file {path} not found; create it with 'pipekit secrets set KEY'");
}
