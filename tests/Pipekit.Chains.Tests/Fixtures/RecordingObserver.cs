using System.Collections.Concurrent;
using Pipekit.Chains.Jobs;

namespace Pipekit.Chains.Tests.Fixtures;

/// <summary>Keeps every status, stage and log line a run reports, and lets a test wait for one.</summary>
internal sealed class RecordingObserver : IChainRunObserver
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waits = new();

    public IReadOnlyList<string> Events => _events.ToList();

    public IEnumerable<string> Logs => _events.Where(e => e.StartsWith("log:", StringComparison.Ordinal)).Select(e => e[4..]);

    public Task StatusAsync(string status, CancellationToken cancellationToken) => Add("status:" + status);

    public Task StageAsync(string stage, CancellationToken cancellationToken) => Add("stage:" + stage);

    public Task LogAsync(string line, CancellationToken cancellationToken) => Add("log:" + line);

    /// <summary>Completes when an event starting with <paramref name="prefix"/> is reported (or was already).</summary>
    public Task WaitForAsync(string prefix)
    {
        var wait = _waits.GetOrAdd(prefix, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_events.Any(e => e.StartsWith(prefix, StringComparison.Ordinal))) wait.TrySetResult();
        return wait.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private Task Add(string item)
    {
        _events.Enqueue(item);
        foreach (var (prefix, wait) in _waits)
            if (item.StartsWith(prefix, StringComparison.Ordinal)) wait.TrySetResult();
        return Task.CompletedTask;
    }
}
