namespace Pipekit.Core.Scheduling;

/// <summary>
/// Tells a sleeping scheduler that schedules changed, so a new or edited schedule is looked at at once
/// instead of after the scheduler's longest sleep. Changes made by another process are seen at the next wake.
/// </summary>
public sealed class ScheduleChanges
{
    private readonly Lock _gate = new();
    private long _version;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Increases with every change; read it before looking at the schedules.</summary>
    public long Version
    {
        get
        {
            lock (_gate) return _version;
        }
    }

    public void Notify()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// Waits until <paramref name="delay"/> has passed on <paramref name="time"/> or a change after
    /// <paramref name="seenVersion"/> arrives, whichever is first.
    /// </summary>
    public async Task WaitAsync(long seenVersion, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seenVersion) return;
            changed = _changed.Task;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay, time, stop.Token);
        await Task.WhenAny(changed, timer).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
