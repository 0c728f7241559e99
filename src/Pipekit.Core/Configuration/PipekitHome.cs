namespace Pipekit.Core.Configuration;

/// <summary>
/// The data directory (<c>PIPEKIT_HOME</c>, default <c>~/.pipekit</c>) and the well-known paths inside it.
/// </summary>
public sealed class PipekitHome
{
    public PipekitHome(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DefaultConfigPath => Path.Combine(Root, "pipekit.toml");

    public string DefaultStatePath => Path.Combine(Root, "pipekit.db");

    public string DefaultSecretsPath => Path.Combine(Root, "secrets.toml");

    public string RunsDirectory => Path.Combine(Root, "runs");

    public string CacheDirectory => Path.Combine(Root, "cache");

    /// <summary>The CLI's multi-core start-up profiles, one per command and installation.</summary>
    public string StartupProfilesDirectory => Path.Combine(CacheDirectory, "startup");

    public string LayersDirectory => Path.Combine(Root, "layers");

    /// <summary>Resolves the data directory from <c>PIPEKIT_HOME</c>, falling back to <c>~/.pipekit</c>.</summary>
    public static PipekitHome FromEnvironment(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var home = Lookup(environment, "PIPEKIT_HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            home = Path.Combine(string.IsNullOrEmpty(user) ? "/tmp" : user, ".pipekit");
        }
        return new PipekitHome(home);
    }

    internal static string? Lookup(IReadOnlyDictionary<string, string?>? environment, string name) =>
        environment is null ? Environment.GetEnvironmentVariable(name)
            : environment.TryGetValue(name, out var v) ? v : null;
}
