using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Chains;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines;
using Pipekit.Query;
using Pipekit.Sync;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// What one command invocation works with: its output streams, the resolved environment, and the
/// services built from it. Services are built on first use, so <c>--help</c> never touches the disk.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;
    private ServiceProvider? _services;
    private PipekitEnvironment? _environment;

    private readonly StartupTimer? _timer;

    public CliContext(ParseResult parse, GlobalOptions globals, TextWriter output, TextWriter error, TextReader input, StartupTimer? timer = null)
    {
        _timer = timer;
        _parse = parse;
        _globals = globals;
        Out = output;
        Error = error;
        In = input;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public TextReader In { get; }

    public ParseResult Parse => _parse;

    public bool Verbose => _parse.GetValue(_globals.Verbose);

    public string? SecretsFlag => _parse.GetValue(_globals.Secrets);

    /// <summary>The pipelines workspace given by <c>--project-dir</c>; set before services are first used.</summary>
    public string? WorkspaceOverride { get; set; }

    /// <summary>Records that the command reached <paramref name="step"/> (shown with <c>PIPEKIT_TIMING=1</c>).</summary>
    public void Mark(string step) => _timer?.Mark(step);

    public T Value<T>(Option<T> option) => _parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => _parse.GetValue(argument)!;

    /// <summary>The environment; throws <see cref="ConfigException"/> when pipekit.toml is invalid.</summary>
    public async Task<PipekitEnvironment> EnvironmentAsync(CancellationToken cancellationToken) =>
        _environment ??= await LoadEnvironmentAsync(cancellationToken);

    private async Task<PipekitEnvironment> LoadEnvironmentAsync(CancellationToken cancellationToken)
    {
        var environment = await PipekitEnvironment.LoadAsync(_parse.GetValue(_globals.Config), SecretsFlag, cancellationToken);
        Mark("environment loaded");
        return environment;
    }

    /// <summary>Services over the loaded environment. A missing secrets file is an empty store here: commands that need a secret say so.</summary>
    public async Task<IServiceProvider> ServicesAsync(CancellationToken cancellationToken)
    {
        if (_services is not null) return _services;
        var environment = await EnvironmentAsync(cancellationToken);
        var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, cancellationToken);
        var verbose = Verbose;
        _services = new ServiceCollection()
            .AddPipekitCore(environment, secrets)
            .AddPipekitSync()
            .AddPipekitPipelines(WorkspaceOverride)
            .AddPipekitQuery()
            .AddPipekitChains()
            .AddLogging(logging => logging
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
                // A command reports its own failure as one line on stderr; the engine's warning about the same failure
                // would print it twice. --verbose shows everything.
                .AddFilter("Pipekit", verbose ? LogLevel.Debug : LogLevel.Error)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddRedaction())
            .BuildServiceProvider();
        Mark("services built");
        return _services;
    }

    public async Task<T> GetAsync<T>(CancellationToken cancellationToken) where T : notnull =>
        (await ServicesAsync(cancellationToken)).GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
    }
}
