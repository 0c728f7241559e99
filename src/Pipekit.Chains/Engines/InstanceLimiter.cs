using Dapper;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Nodes;
using Pipekit.Core.Configuration;
using Pipekit.Core.State;

namespace Pipekit.Chains.Engines;

/// <summary>
/// <c>[chains].max_instances</c>, counted in the state store so that every node sharing it counts the same
/// instances: a live instance holds a row of <c>chain_instance_slot</c> numbered 1..max_instances, taken by an INSERT
/// that conflicts when another node took that number first. A job beyond the limit waits (in <c>preparing</c>) until
/// a slot is released here or, polling, on another node. This node renews its slots' heartbeat while it holds any;
/// a slot whose holder's heartbeat lapsed (the node died) is free again.
/// </summary>
internal sealed class InstanceLimiter : IAsyncDisposable
{
    /// <summary>How often a waiting job looks for a slot another node released.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly StateStore _store;
    private readonly ChainNode _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private Task? _renewing;

    public InstanceLimiter(StateStore store, ChainNode node, PipekitConfig config, TimeProvider time, ILogger logger)
    {
        _store = store;
        _node = node;
        _time = time;
        _logger = logger;
        Capacity = config.Chains.MaxInstances;
    }

    public int Capacity { get; }

    /// <summary>A slot for <paramref name="holder"/> now, or null when all <see cref="Capacity"/> are taken (on any node).</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string holder, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var c = await _store.OpenAsync(cancellationToken);
        for (var round = 0; round < 2; round++)
        {
            if (round == 1)
            {
                // All taken: free the slots of nodes whose heartbeat lapsed (they died holding them), then look again.
                var freed = await c.ExecuteAsync(new CommandDefinition("DELETE FROM chain_instance_slot WHERE heartbeat_at < @lapsed",
                    new { lapsed = StateClock.Format(now - ChainNode.Lease) }, cancellationToken: cancellationToken));
                if (freed == 0) return null;
            }
            var taken = (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT slot FROM chain_instance_slot WHERE slot <= @max", new { max = Capacity }, cancellationToken: cancellationToken))).ToHashSet();
            for (long slot = 1; slot <= Capacity; slot++)
            {
                if (taken.Contains(slot)) continue;
                var inserted = await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO chain_instance_slot (slot, holder, owner, heartbeat_at) VALUES (@slot, @holder, @owner, @now) ON CONFLICT (slot) DO NOTHING",
                    new { slot, holder, owner = _node.Id, now = StateClock.Format(now) }, cancellationToken: cancellationToken));
                if (inserted == 1)
                {
                    StartRenewing();
                    return new Slot(this, slot, holder);
                }
            }
        }
        return null;
    }

    /// <summary>Waits for a slot for <paramref name="holder"/>.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string holder, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task released;
            lock (_lock) released = _released.Task;
            if (await TryAcquireAsync(holder, cancellationToken) is { } slot) return slot;
            // Woken by a release in this process at once, or after a poll for one released on another node.
            await Task.WhenAny(released, Task.Delay(PollInterval, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void StartRenewing()
    {
        lock (_lock)
        {
            _held++;
            _renewing ??= Task.Run(RenewAsync);
        }
    }

    /// <summary>Renews this node's slots every heartbeat interval while it holds any.</summary>
    private async Task RenewAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ChainNode.HeartbeatInterval, _time, _stopping.Token);
                lock (_lock)
                {
                    if (_held == 0)
                    {
                        _renewing = null;
                        return;
                    }
                }
                await using var c = await _store.OpenAsync(_stopping.Token);
                await c.ExecuteAsync(new CommandDefinition("UPDATE chain_instance_slot SET heartbeat_at = @now WHERE owner = @owner",
                    new { now = StateClock.Format(_time.GetUtcNow()), owner = _node.Id }, cancellationToken: _stopping.Token));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Renewing chain instance slots failed; trying again in {Interval}: {Error}", ChainNode.HeartbeatInterval, ex.Message);
            }
        }
    }

    private async Task ReleaseAsync(long slot, string holder)
    {
        try
        {
            await using var c = await _store.OpenAsync(CancellationToken.None);
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM chain_instance_slot WHERE slot = @slot AND holder = @holder AND owner = @owner",
                new { slot, holder, owner = _node.Id }));
        }
        catch (Exception ex)
        {
            // The slot lapses with this node's heartbeat once no other slot keeps it renewed; until then it counts.
            _logger.LogWarning("Could not release chain instance slot {Slot}: {Error}", slot, ex.Message);
        }
        finally
        {
            TaskCompletionSource released;
            lock (_lock)
            {
                _held--;
                released = _released;
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            released.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task? renewing;
        lock (_lock) renewing = _renewing;
        if (renewing is not null) await renewing;
        _stopping.Dispose();
    }

    private sealed class Slot(InstanceLimiter limiter, long slot, string holder) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) await limiter.ReleaseAsync(slot, holder);
        }
    }
}
