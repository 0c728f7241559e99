using Pipekit.Core.Configuration;

namespace Pipekit.Chains.Engines;

/// <summary>
/// <c>[chains].max_instances</c>: how many job instances exist at once in this process. A job beyond it waits (in
/// <c>preparing</c>) for one to be dropped.
/// </summary>
internal sealed class InstanceLimiter(PipekitConfig config) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(config.Chains.MaxInstances, config.Chains.MaxInstances);

    public int Capacity { get; } = config.Chains.MaxInstances;

    public int InUse => Capacity - _slots.CurrentCount;

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
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
