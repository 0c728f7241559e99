using Xunit;

namespace Pipekit.Testing;

/// <summary>
/// xunit collection fixture: one MariaDB server per test assembly, started lazily by the first test of the
/// "mariadb" collection and removed at the end of the run, whatever the outcome.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _secondServerGate = new(1, 1);
    private MariaDbServer? _server;
    private MariaDbServer? _withoutLocalInfile;

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

    /// <summary>
    /// A second server, started with <c>local_infile=0</c> on first use and shared by the tests that need a
    /// server refusing LOAD DATA LOCAL.
    /// </summary>
    public async Task<MariaDbServer> ServerWithoutLocalInfileAsync()
    {
        await _secondServerGate.WaitAsync();
        try
        {
            return _withoutLocalInfile ??= await MariaDbServer.StartAsync(localInfile: false);
        }
        finally
        {
            _secondServerGate.Release();
        }
    }

    public async Task InitializeAsync()
    {
        if (MariaDbServer.UnavailableReason is null)
            _server = await MariaDbServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_withoutLocalInfile is not null) await _withoutLocalInfile.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        _secondServerGate.Dispose();
    }
}
