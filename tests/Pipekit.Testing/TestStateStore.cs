using Pipekit.Core.Configuration;
using Pipekit.Core.State;

namespace Pipekit.Testing;

/// <summary>
/// The state store a test installation uses: the SQLite file in its data directory, or a fresh database of the
/// throwaway PostgreSQL cluster. Test classes that touch state derive one class per store from an abstract base.
/// </summary>
public sealed class TestStateStore
{
    private readonly PostgresFixture? _postgres;

    private TestStateStore(StoreKind kind, PostgresFixture? postgres)
    {
        Kind = kind;
        _postgres = postgres;
    }

    public static TestStateStore Sqlite { get; } = new(StoreKind.Sqlite, null);

    public static TestStateStore Postgres(PostgresFixture postgres) => new(StoreKind.Postgres, postgres);

    public StoreKind Kind { get; }

    /// <summary><paramref name="config"/> unchanged for SQLite; for PostgreSQL, with <c>[state] url</c> naming a fresh database.</summary>
    public async Task<PipekitConfig> ApplyAsync(PipekitConfig config) =>
        _postgres is null ? config : config with { State = config.State with { Url = await _postgres.NewDatabaseUriAsync() } };

    /// <summary>
    /// One store location for facts that build <see cref="StateStore"/>s themselves: a file in <paramref name="directory"/>
    /// for SQLite, a fresh database for PostgreSQL. Every store opened there is closed with it.
    /// </summary>
    public async Task<TestStateLocation> LocationAsync(string directory) =>
        new(Kind, _postgres is null ? Path.Combine(directory, "pipekit.db") : await _postgres.NewDatabaseUriAsync());

    public override string ToString() => Kind.ToString();
}
