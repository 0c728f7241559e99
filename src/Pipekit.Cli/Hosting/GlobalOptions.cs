using System.CommandLine;

namespace Pipekit.Cli.Hosting;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Path of pipekit.toml (default: $PIPEKIT_CONFIG, then $PIPEKIT_HOME/pipekit.toml)",
        Recursive = true,
    };

    public Option<string?> Secrets { get; } = new("--secrets")
    {
        Description = "Path of the secrets file (default: $PIPEKIT_SECRETS, then [secrets].path, then /etc/pipekit/secrets.toml if present, then $PIPEKIT_HOME/secrets.toml)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show stack traces and debug output",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Config);
        root.Options.Add(Secrets);
        root.Options.Add(Verbose);
    }
}
