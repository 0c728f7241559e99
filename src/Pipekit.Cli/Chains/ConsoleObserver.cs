using Pipekit.Chains.Jobs;

namespace Pipekit.Cli.Chains;

/// <summary>Shows a CLI run's progress on stderr, so stdout holds only the result: log lines always, stages with --verbose.</summary>
internal sealed class ConsoleObserver(TextWriter error, bool verbose) : IChainRunObserver
{
    public Task StatusAsync(string status, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StageAsync(string stage, CancellationToken cancellationToken) => verbose ? error.WriteLineAsync($"stage: {stage}") : Task.CompletedTask;

    public Task LogAsync(string line, CancellationToken cancellationToken) => error.WriteLineAsync(line);
}
