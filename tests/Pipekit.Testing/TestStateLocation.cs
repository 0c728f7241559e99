using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Testing;

/// <summary>A SQLite file or a PostgreSQL database that several <see cref="StateStore"/>s (as several processes would) open.</summary>
public sealed class TestStateLocation : IAsyncDisposable
{
    private readonly List<StateStore> _opened = [];

    internal TestStateLocation(StoreKind kind, string where)
    {
        Kind = kind;
        Where = where;
    }

    public StoreKind Kind { get; }

    /// <summary>The SQLite file's path or the PostgreSQL database's URL.</summary>
    public string Where { get; }

    /// <summary>A new store object on this location with <paramref name="migrator"/>'s migrations.</summary>
    public StateStore Open(Migrator migrator)
    {
        var store = Kind == StoreKind.Sqlite
            ? new StateStore(Where, 5000, migrator)
            : StateStore.ForPostgres(Where, null, SecretStore.LoadOrEmptyAsync("/nonexistent/secrets.toml", CancellationToken.None).GetAwaiter().GetResult(),
                new Redactor([]), migrator);
        lock (_opened) _opened.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }
}
