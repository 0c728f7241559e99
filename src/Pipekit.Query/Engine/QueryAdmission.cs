namespace Pipekit.Query.Engine;

/// <summary>
/// Admission control: at most <c>max_concurrent</c> queries run and at most <c>max_queued</c> wait for a slot;
/// a query beyond both is refused at once instead of piling up threads and memory.
/// </summary>
internal sealed class QueryAdmission(int maxConcurrent, int maxQueued) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private int _waiting;

    public int MaxConcurrent { get; } = maxConcurrent;

    public int Running => MaxConcurrent - _slots.CurrentCount;

    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Takes a slot, waiting in line if allowed; the returned handle gives it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None)) return new Slot(_slots);
        if (Interlocked.Increment(ref _waiting) > maxQueued)
        {
            Interlocked.Decrement(ref _waiting);
            throw new QueryBusyException(Running, Waiting);
        }
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
