using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Testing;

namespace Pipekit.Server.Tests;

/// <summary>
/// The server as <c>pipekit serve</c> builds it (<see cref="PipekitServer.CreateHostBuilder"/>), on a test server,
/// with its own PIPEKIT_HOME, a real state store (SQLite, or a fresh PostgreSQL database), a secrets file holding <see cref="SecretValue"/>, and SQLite
/// source and destination databases. The password is set unless the test asks for none.
/// </summary>
/// <remarks>
/// <c>WebApplicationFactory</c> insists that its type argument lives in an assembly with an entry point; Pipekit.Server
/// is a library hosted by the CLI, so the factory names this test assembly and <see cref="CreateHostBuilder"/> hands it
/// the server's own builder.
/// </remarks>
public sealed class PipekitApp : WebApplicationFactory<PipekitApp>
{
    public const string User = "admin";
    public const string Password = "correct-horse-battery";
    public const string SecretName = "WAREHOUSE_PW";
    public const string SecretValue = "s3cr3t-Hunter2-value";

    private readonly TempDirectory _home = new();
    private readonly PipekitEnvironment _environment;
    private readonly SecretStore _secrets;
    private readonly bool _setPassword;
    private readonly ILoggerProvider? _log;

    /// <param name="store">The state store; the SQLite file in the app's home when null.</param>
    /// <param name="secrets">More <c>[global]</c> secrets written to the file before the server starts.</param>
    /// <param name="log">A logger provider that receives the server's log, through the redactor as <c>pipekit serve</c> writes it.</param>
    public PipekitApp(ServerOptions? server = null, bool setPassword = true, TestStateStore? store = null, QueryOptions? query = null,
        ChainsOptions? chains = null, SyncOptions? sync = null, IReadOnlyDictionary<string, string>? secrets = null,
        ILoggerProvider? log = null)
    {
        _setPassword = setPassword;
        _log = log;
        var home = new PipekitHome(_home.Path);
        var config = (store ?? TestStateStore.Sqlite).ApplyAsync(new PipekitConfig
        {
            Server = server ?? new ServerOptions(), Scheduler = new SchedulerOptions { Enabled = false }, Query = query ?? new QueryOptions(),
            Chains = chains ?? new ChainsOptions(), Sync = sync ?? new SyncOptions(),
        }).GetAwaiter().GetResult();
        _environment = new PipekitEnvironment(home, config, home.DefaultSecretsPath);
        SecretsFile.SetAsync(_environment.SecretsPath, null, SecretName, SecretValue, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var (key, value) in secrets ?? new Dictionary<string, string>())
            SecretsFile.SetAsync(_environment.SecretsPath, null, key, value, CancellationToken.None).GetAwaiter().GetResult();
        _secrets = SecretStore.LoadAsync(_environment.SecretsPath, CancellationToken.None).GetAwaiter().GetResult();
        SourcePath = _home.File("source.db");
        DestPath = _home.File("dest.db");
        SeedSource(SourcePath);
    }

    public string Home => _home.Path;

    public string SourcePath { get; }

    public string DestPath { get; }

    /// <summary>The secrets file the server reads.</summary>
    public string SecretsPath => _environment.SecretsPath;

    /// <summary>The SQLite state database (when the app runs on SQLite).</summary>
    public string StatePath => _environment.StatePath;

    public string File(string name) => _home.File(name);

    protected override IHostBuilder CreateHostBuilder() => PipekitServer.CreateHostBuilder(_environment, _secrets);

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseContentRoot(builder, AppContext.BaseDirectory);
        if (_log is not null) builder.ConfigureLogging(logging => logging.AddProvider(_log).AddRedaction());
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (_setPassword)
            host.Services.GetRequiredService<Credentials>().SetAsync(User, Password, CancellationToken.None).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>A client that sends the right credentials.</summary>
    public HttpClient Client()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(User, Password);
        return client;
    }

    /// <summary>A client that sends no credentials.</summary>
    public HttpClient Anonymous() => CreateClient();

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _home.Dispose();
    }

    /// <summary>orders(id, customer, amount, placed_on): three rows, and a view of them.</summary>
    private static void SeedSource(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(10,2), placed_on DATE);
            INSERT INTO orders VALUES (1, 'ada  ', 10.50, '2026-01-02'), (2, 'bob', 20.00, '2026-01-03'), (3, 'cy', NULL, '2026-01-04');
            """;
        command.ExecuteNonQuery();
    }
}
