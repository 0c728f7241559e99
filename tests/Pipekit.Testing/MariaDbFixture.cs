using Xunit;

namespace Pipekit.Testing;

/// <summary>
/// xunit collection fixture: one MariaDB server per test assembly, started lazily by the first test of the
/// "mariadb" collection and removed at the end of the run, whatever the outcome.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException(MariaDbServer.UnavailableReason ?? "server not started");

    /// <summary>Creates a fresh database and returns its MySqlConnector connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = await Server.CreateDatabaseAsync();
        return Server.ConnectionString(name);
    }

    /// <summary>Creates a fresh database and returns its <c>mysql://</c> URI.</summary>
    public async Task<string> NewDatabaseUriAsync()
    {
        var name = await Server.CreateDatabaseAsync();
        return Server.Uri(name);
    }

    public async Task InitializeAsync()
    {
        if (MariaDbServer.UnavailableReason is null)
            _server = await MariaDbServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
