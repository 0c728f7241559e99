using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// One server for a whole class of hostile requests, holding one of everything a route can change (two connections,
/// a module with a watermark and a hook, a group with a member, a schedule), and a snapshot of all of it: a refused
/// request must leave the snapshot as it was.
/// </summary>
public sealed class HostileRequestApp : IAsyncLifetime
{
    public PipekitApp App { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Route placeholders ({connection}, {module}, …) and the ids they stand for.</summary>
    public IReadOnlyDictionary<string, long> Ids { get; private set; } = new Dictionary<string, long>();

    public async Task InitializeAsync()
    {
        Client = App.Client();
        // A hang guard, not a timing assertion: a request the server cannot finish fails its test instead of the run.
        Client.Timeout = TimeSpan.FromSeconds(20);
        var (source, dest) = await Client.CreateSqliteConnectionsAsync(App);
        var created = await Client.PostJsonAsync("/api/modules", new
        {
            name = "orders", source_connection_id = source, dest_connection_id = dest, dest_table = "orders_copy",
            source_query = "SELECT id, customer, amount FROM orders WHERE id > {since}", merge_strategy = "incremental", merge_key = "id",
            columns = new[] { new { source_name = "id", source_type = "INTEGER", dest_name = "id", dest_type = "INTEGER" } },
            watermarks = new[] { new { name = "since", connection_id = dest, resolver_sql = "SELECT 0" } },
        }, HttpStatusCode.Created);
        var module = (long)created["id"]!;
        var watermark = (long)created["watermarks"]![0]!["id"]!;
        var hook = (long)(await Client.PostJsonAsync("/api/hooks",
            new { module_id = module, connection_id = dest, sql = "SELECT 1", run_on = "success" }, HttpStatusCode.Created))["id"]!;
        var group = await Client.PostJsonAsync("/api/groups", new { name = "nightly", members = new[] { new { module_id = module } } }, HttpStatusCode.Created);
        var schedule = (long)(await Client.PostJsonAsync("/api/schedules", new { group_id = (long)group["id"]!, cron_expr = "0 2 * * *" }, HttpStatusCode.Created))["id"]!;
        await Client.PostJsonAsync("/api/settings/ui.theme", new { value = "dark" });
        Ids = new Dictionary<string, long>
        {
            ["{source}"] = source, ["{dest}"] = dest, ["{module}"] = module, ["{watermark}"] = watermark, ["{hook}"] = hook,
            ["{group}"] = (long)group["id"]!, ["{member}"] = (long)group["members"]![0]!["id"]!, ["{schedule}"] = schedule,
        };
    }

    public async Task DisposeAsync()
    {
        if (_watch is not null) await _watch.DisposeAsync();
        Client.Dispose();
        App.Dispose();
    }

    private SqliteConnection? _watch;

    /// <summary>
    /// SQLite's <c>data_version</c> as seen by one long-lived connection of the test: it changes whenever another
    /// connection (the server) commits a write. Equal before and after a request means the request stored nothing.
    /// </summary>
    public async Task<long> StateVersionAsync()
    {
        if (_watch is null)
        {
            _watch = new SqliteConnection($"Data Source={App.File("pipekit.db")};Mode=ReadOnly;Pooling=False");
            await _watch.OpenAsync();
        }
        await using var command = _watch.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary><paramref name="template"/> with its placeholders replaced by the fixture's ids.</summary>
    public string Fill(string template) => Ids.Aggregate(template, (text, id) => text.Replace(id.Key, id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    /// <summary>
    /// Every row of every table of the state database, as one text: a refused request must leave all of it as it was
    /// (read from the file, so a change no route lists is caught too).
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={App.File("pipekit.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var all = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" ORDER BY 1";
            await using var reader = await select.ExecuteReaderAsync();
            all.Append(table).Append('\n');
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) all.Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                all.Append('\n');
            }
        }
        return all.ToString();
    }
}
