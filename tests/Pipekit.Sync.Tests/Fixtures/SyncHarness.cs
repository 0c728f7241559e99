using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Testing;

namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>
/// One Pipekit installation in a temp directory, wired the way the CLI wires it (<c>AddPipekitCore</c> +
/// <c>AddPipekitSync</c> over a real state store and secrets file), plus the few helpers tests need to create
/// connections and modules and to read and write the databases those connections point at.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly ServiceProvider _services;

    private SyncHarness(TempDirectory directory, ServiceProvider services)
    {
        _directory = directory;
        _services = services;
    }

    public ModuleRepository Modules => Get<ModuleRepository>();

    public ModuleRunner Runner => Get<ModuleRunner>();

    public RunLogRepository Runs => Get<RunLogRepository>();

    public StateStore State => Get<StateStore>();

    public static async Task<SyncHarness> StartAsync(SyncHarnessOptions? options = null)
    {
        options ??= new SyncHarnessOptions();
        var directory = new TempDirectory();
        try
        {
            var secretsPath = directory.File("secrets.toml");
            var toml = new StringBuilder("[global]\n");
            foreach (var (key, value) in options.Secrets)
                toml.Append(CultureInfo.InvariantCulture, $"{key} = \"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
            await System.IO.File.WriteAllTextAsync(secretsPath, toml.ToString());

            var environment = new PipekitEnvironment(new PipekitHome(directory.Path), await options.Store.ApplyAsync(options.Config), secretsPath);
            var secrets = await SecretStore.LoadAsync(secretsPath, CancellationToken.None);
            var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync();
            if (options.Time is { } time) services.AddSingleton(time);
            var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<StateStore>().InitializeAsync(CancellationToken.None);
            return new SyncHarness(directory, provider);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A path inside the installation's temp directory.</summary>
    public string File(string name) => _directory.File(name);

    /// <summary>Validates and stores a connection, as <c>pipekit connections add</c> does.</summary>
    public async Task<ConnectionRecord> AddConnectionAsync(string name, string url, string? password = null)
    {
        var record = Get<ConnectionValidator>().Validate(new ConnectionRecord { Name = name, Driver = "", Url = url, Password = password });
        return await Get<ConnectionRepository>().AddAsync(record, CancellationToken.None);
    }

    public Task<ConnectionRecord> AddSqliteAsync(string name) => AddConnectionAsync(name, "sqlite://" + File(name + ".db"));

    public Task<ConnectionRecord> AddDuckDbAsync(string name) => AddConnectionAsync(name, "duckdb://" + File(name + ".duckdb"));

    /// <summary>A connection to a fresh, empty database of the test cluster.</summary>
    public async Task<ConnectionRecord> AddPostgresAsync(string name, PostgresFixture postgres, string? password = null) =>
        await AddConnectionAsync(name, await postgres.NewDatabaseUriAsync(), password);

    public Task<ConnectionRecord> AddAsync(Engine engine, string name, PostgresFixture? postgres) => engine switch
    {
        Engine.Postgres => AddPostgresAsync(name, postgres ?? throw new ArgumentNullException(nameof(postgres))),
        Engine.Sqlite => AddSqliteAsync(name),
        Engine.DuckDb => AddDuckDbAsync(name),
        _ => throw new ArgumentOutOfRangeException(nameof(engine)),
    };

    /// <summary>Validates a module as a save through the product does, then stores it.</summary>
    public async Task<Module> SaveModuleAsync(Module module)
    {
        var connections = (await Get<ConnectionRepository>().ListAsync(CancellationToken.None)).Select(c => c.Id).ToHashSet();
        ModuleValidator.Validate(module, connections);
        return await Modules.SaveAsync(module, CancellationToken.None);
    }

    public Task<RunResult> RunAsync(Module module, bool dryRun = false, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(module.Id, new RunOptions { DryRun = dryRun }, cancellationToken);

    public async Task<RunLogEntry> RunLogAsync(RunResult result) =>
        await Runs.GetAsync(result.RunId ?? throw new InvalidOperationException($"the run wrote no run_log row: {result.Error}"), CancellationToken.None)
        ?? throw new InvalidOperationException($"run {result.RunId} not found");

    public async Task<Module> ReloadAsync(Module module) =>
        await Modules.GetAsync(module.Id, CancellationToken.None) ?? throw new InvalidOperationException($"module {module.Id} is gone");

    /// <summary>Runs each statement, in order, on the database the connection points at.</summary>
    public async Task ExecuteAsync(ConnectionRecord connection, params string[] statements)
    {
        await using var open = await Get<ConnectionFactory>().OpenAsync(connection, null, CancellationToken.None);
        foreach (var sql in statements)
        {
            await using var command = open.Command(sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every row of a query, each rendered as <c>a|b|c</c> in invariant culture with <c>NULL</c> for nulls.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(ConnectionRecord connection, string sql)
    {
        await using var open = await Get<ConnectionFactory>().OpenAsync(connection, null, CancellationToken.None);
        await using var command = open.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Render(reader.GetValue(i)))));
        return rows;
    }

    /// <summary>A full dump of a table, ordered by every column, to compare a destination before and after.</summary>
    public Task<IReadOnlyList<string>> DumpAsync(ConnectionRecord connection, string table, int columns) =>
        QueryAsync(connection, $"SELECT * FROM {table} ORDER BY {string.Join(", ", Enumerable.Range(1, columns))}");

    public async Task<bool> TableExistsAsync(ConnectionRecord connection, string table)
    {
        await using var open = await Get<ConnectionFactory>().OpenAsync(connection, null, CancellationToken.None);
        return await new Pipekit.Core.Drivers.Introspector(open.Connection, open.Dialect)
            .TableExistsAsync(Pipekit.Core.Drivers.TableName.Parse(table), CancellationToken.None);
    }

    /// <summary>Changes the state database behind the repositories' back, as a user with sqlite3 or psql could.</summary>
    public async Task ExecuteStateAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var c = await State.OpenAsync(CancellationToken.None);
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<RunLogEntry>> RunsOfAsync(Module module) =>
        await Runs.ListAsync(new RunFilter { ModuleId = module.Id }, CancellationToken.None);

    public async Task<GroupRun?> GroupRunAsync(long id) => await Get<GroupRunRepository>().GetAsync(id, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static string Render(object? value) => value switch
    {
        null or DBNull => "NULL",
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
