using Xunit;

namespace Pipekit.Testing;

/// <summary>
/// xunit collection fixture: one cluster per test assembly, started lazily by the first test of the
/// "postgres" collection and removed at the end of the run, whatever the outcome.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason ?? "cluster not started");

    /// <summary>Creates a fresh database and returns its npgsql connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = await Cluster.CreateDatabaseAsync();
        return Cluster.ConnectionString(name);
    }

    /// <summary>Creates a fresh database and returns its <c>postgres://</c> URI.</summary>
    public async Task<string> NewDatabaseUriAsync()
    {
        var name = await Cluster.CreateDatabaseAsync();
        return Cluster.Uri(name);
    }

    public async Task InitializeAsync()
    {
        if (PostgresCluster.UnavailableReason is null)
            _cluster = await PostgresCluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
