using Pipekit.Core.Configuration;

namespace Pipekit.Core.Secrets;

/// <summary>Finds the secrets file a process should use.</summary>
public static class SecretsLocation
{
    /// <summary>The environment variable naming the secrets file when <c>--secrets</c> is not given.</summary>
    public const string EnvironmentVariable = "PIPEKIT_SECRETS";

    /// <summary>The system-wide secrets file, used when it exists.</summary>
    public const string SystemPath = "/etc/pipekit/secrets.toml";

    /// <summary>
    /// The secrets file path: <paramref name="cliFlag"/> (<c>--secrets</c>), else <c>PIPEKIT_SECRETS</c>, else
    /// <see cref="SystemPath"/> when it exists, else <c>$PIPEKIT_HOME/secrets.toml</c>. Relative paths are made
    /// absolute against the current directory.
    /// </summary>
    /// <param name="environment">The environment to read; null reads the process environment.</param>
    public static string Resolve(string? cliFlag, IReadOnlyDictionary<string, string?>? environment, PipekitHome home) =>
        Resolve(cliFlag, environment, home, File.Exists);

    /// <summary>As <see cref="Resolve(string?, IReadOnlyDictionary{string, string?}?, PipekitHome)"/>, with the existence check supplied.</summary>
    public static string Resolve(string? cliFlag, IReadOnlyDictionary<string, string?>? environment, PipekitHome home, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(fileExists);
        if (!string.IsNullOrWhiteSpace(cliFlag)) return Path.GetFullPath(cliFlag);
        var fromEnvironment = PipekitHome.Lookup(environment, EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return fileExists(SystemPath) ? SystemPath : home.DefaultSecretsPath;
    }
}
