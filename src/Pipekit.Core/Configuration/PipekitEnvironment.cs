using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Core.Configuration;

/// <summary>
/// Where this Pipekit process keeps its things: the data directory, the configuration it read, and the
/// secrets file it uses. Built once at startup by the CLI or the server.
/// </summary>
public sealed record PipekitEnvironment(PipekitHome Home, PipekitConfig Config, string SecretsPath)
{
    /// <summary>The state database: <c>[state].path</c>, else <c>$PIPEKIT_HOME/pipekit.db</c>.</summary>
    public string StatePath => Config.State.Path is { } p ? Path.GetFullPath(p, Home.Root) : Home.DefaultStatePath;

    /// <summary>The Pit workspace: <c>[pipelines].workspace</c>, else <c>$PIPEKIT_HOME/workspace</c>.</summary>
    public string PipelinesWorkspace => Config.Pipelines.Workspace is { } w ? Path.GetFullPath(w, Home.Root) : Path.Combine(Home.Root, "workspace");
    /// <summary>PostgreSQL when <c>[state] url</c> or <c>PIPEKIT_STATE_URL</c> names a database, else the SQLite file.</summary>
    public StoreKind StateKind => string.IsNullOrWhiteSpace(Config.State.Url) ? StoreKind.Sqlite : StoreKind.Postgres;

    /// <summary>Resolves everything from flags and the process environment.</summary>
    public static async Task<PipekitEnvironment> LoadAsync(string? configFlag, string? secretsFlag, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var home = PipekitHome.FromEnvironment(environment);
        var config = await ConfigLoader.LoadAsync(configFlag, home, cancellationToken, environment);
        return Create(home, config, secretsFlag, environment);
    }

    public static PipekitEnvironment Create(PipekitHome home, PipekitConfig config, string? secretsFlag,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        // --secrets, then PIPEKIT_SECRETS, then [secrets].path, then the usual search.
        var flag = secretsFlag
            ?? (string.IsNullOrWhiteSpace(PipekitHome.Lookup(environment, "PIPEKIT_SECRETS")) ? config.Secrets.Path : null);
        var secrets = SecretsLocation.Resolve(flag, environment, home);
        // PIPEKIT_STATE_URL wins over [state] url, so one config file can serve a node pointed elsewhere.
        if (PipekitHome.Lookup(environment, "PIPEKIT_STATE_URL") is { Length: > 0 } stateUrl)
        {
            if (StateUrl.Validate(stateUrl) is { } error) throw new ConfigException($"PIPEKIT_STATE_URL: {error}");
            config = config with { State = config.State with { Url = stateUrl } };
        }
        return new PipekitEnvironment(home, config, secrets);
    }
}
