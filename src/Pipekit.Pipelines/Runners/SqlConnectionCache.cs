using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// One open connection per distinct connection string per run, reused by that run's SQL tasks and closed when the
/// run ends (seed 000 §3). A connection serves one statement at a time, so SQL tasks that share it take turns.
/// </summary>
internal sealed class SqlConnectionCache : IAsyncDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How many connections were opened (for tests of the reuse rule).</summary>
    public int Opened { get; private set; }

    public async Task<Lease> AcquireAsync(IDriver driver, ResolvedConnection connection, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(connection.Url, out entry!))
                _entries[connection.Url] = entry = new Entry(driver, connection);
        }
        await entry.Turn.WaitAsync(cancellationToken);
        try
        {
            if (entry.Connection is null)
            {
                entry.Connection = await driver.OpenAsync(connection, cancellationToken);
                lock (_gate) Opened++;
            }
            return new Lease(entry);
        }
        catch
        {
            entry.Turn.Release();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_gate) entries = [.. _entries.Values];
        foreach (var entry in entries)
        {
            if (entry.Connection is not null) await entry.Connection.DisposeAsync();
            entry.Turn.Dispose();
        }
    }

    internal sealed class Entry(IDriver driver, ResolvedConnection connection)
    {
        public IDriver Driver { get; } = driver;

        public ResolvedConnection Resolved { get; } = connection;

        public SemaphoreSlim Turn { get; } = new(1, 1);

        public DbConnection? Connection { get; set; }
    }

    /// <summary>The connection, held until disposed.</summary>
    public sealed class Lease(Entry entry) : IDisposable
    {
        public DbConnection Connection => entry.Connection!;

        public IDriver Driver => entry.Driver;

        public void Dispose() => entry.Turn.Release();
    }
}
