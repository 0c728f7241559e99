using System.Text.Json;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// <c>pipekit chain run|plan|layers list|layers gc</c> as a user runs them: a real project directory, SQLite and
/// DuckDB layer files under PIPEKIT_HOME, and the refusals a mistyped command gets.
/// </summary>
public sealed class ChainCliFacts : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly PipekitProcess _cli;
    private readonly string _project;

    public ChainCliFacts()
    {
        _cli = new PipekitProcess(_home.Path);
        _project = _home.File("project");
        Write("schema/01_tables.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount INTEGER);");
        Write("seed/01_orders.sql", "INSERT INTO orders VALUES (1, 'ada', 10), (2, 'bob', 25), (3, 'ada', 40);");
        Write("test/01_totals.sql", "SELECT customer, sum(amount) AS total FROM orders WHERE amount >= @min GROUP BY customer ORDER BY customer;");
    }

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task Run_replays_the_tail_once_and_then_hits_its_snapshot(string engine)
    {
        var cold = await _cli.RunAsync("chain", "run", _project, "--head", "test/01_totals.sql", "--engine", engine, "--var", "min=20");
        var warm = await _cli.RunAsync("chain", "run", _project, "--head", "test/01_totals.sql", "--engine", engine, "--var", "min=0", "--json");

        Assert.True(cold.ExitCode == 0, cold.Error);
        Assert.Contains("ada", cold.Out);
        Assert.Contains("40", cold.Out);
        Assert.Contains("bob", cold.Out);
        Assert.Contains("snapshot: miss (tail_hash ", cold.Out);
        Assert.Contains("not_cached", cold.Out);
        Assert.Contains("replayed 2 step(s)", cold.Out);
        Assert.True(warm.ExitCode == 0, warm.Error);
        using var json = JsonDocument.Parse(warm.Out);
        var snapshot = json.RootElement.GetProperty("snapshot");
        Assert.True(snapshot.GetProperty("hit").GetBoolean());
        Assert.Contains(snapshot.GetProperty("tail_hash").GetString()!, cold.Out);
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(2, rows.GetProperty("row_count").GetInt64());
        Assert.Equal("ada", rows.GetProperty("rows")[0][0].GetString());
        // DuckDB's sum of INTEGER is a HUGEINT, which JSON carries as a string to keep every digit.
        Assert.Equal("50", rows.GetProperty("rows")[0][1].ToString());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_home.Path, "layers", engine), "*.db").Length);
    }

    [Fact]
    public async Task Plan_shows_each_step_cached_or_missing_and_why_the_first_miss_missed()
    {
        var before = await _cli.RunAsync("chain", "plan", _project, "--head", "test/01_totals.sql", "--engine", "sqlite");
        await _cli.RunAsync("chain", "run", _project, "--head", "test/01_totals.sql", "--engine", "sqlite", "--var", "min=0");
        var cached = await _cli.RunAsync("chain", "plan", _project, "--head", "test/01_totals.sql", "--engine", "sqlite");
        Write("seed/01_orders.sql", "INSERT INTO orders VALUES (1, 'ada', 11), (2, 'bob', 25), (3, 'ada', 40);");
        var changed = await _cli.RunAsync("chain", "plan", _project, "--head", "test/01_totals.sql", "--engine", "sqlite");
        var json = await _cli.RunAsync("chain", "plan", _project, "--head", "test/01_totals.sql", "--engine", "sqlite", "--json");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.Contains("snapshot: miss", before.Out);
        Assert.Contains("0 of 2 tail step(s) cached", before.Out);
        Assert.Contains("why a miss: not_cached at schema/01_tables.sql", before.Out);
        Assert.Contains("snapshot: hit", cached.Out);
        Assert.Contains("2 of 2 tail step(s) cached", cached.Out);
        Assert.DoesNotContain("why a miss", cached.Out);
        Assert.Matches(@"tail [0-9a-f]{16}  cached   schema/01_tables\.sql", changed.Out);
        Assert.Matches(@"tail [0-9a-f]{16}  missing  seed/01_orders\.sql", changed.Out);
        Assert.Matches(@"head [0-9a-f]{16}  \(runs in the instance\)  test/01_totals\.sql", changed.Out);
        Assert.Contains("why a miss: content_changed at seed/01_orders.sql", changed.Out);
        using var plan = JsonDocument.Parse(json.Out);
        Assert.Equal("content_changed", plan.RootElement.GetProperty("miss").GetProperty("kind").GetString());
        Assert.Equal(3, plan.RootElement.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task Layers_list_shows_the_cache_and_gc_evicts_beyond_max_layer_bytes()
    {
        var empty = await _cli.RunAsync("chain", "layers", "list");
        await _cli.RunAsync("chain", "run", _project, "--head", "test/01_totals.sql", "--engine", "sqlite", "--var", "min=0");
        var list = await _cli.RunAsync("chain", "layers", "list");
        var json = await _cli.RunAsync("chain", "layers", "list", "--json");
        var keep = await _cli.RunAsync("chain", "layers", "gc");
        File.WriteAllText(Path.Combine(_home.Path, "pipekit.toml"), "[chains]\nmax_layer_bytes = 1\n");
        var evict = await _cli.RunAsync("chain", "layers", "gc");
        var after = await _cli.RunAsync("chain", "layers", "list");

        Assert.Contains("no layers yet", empty.Out);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("after schema/01_tables.sql", list.Out);
        Assert.Contains("after seed/01_orders.sql", list.Out);
        Assert.Contains("2 layer(s)", list.Out);
        using (var layers = JsonDocument.Parse(json.Out)) Assert.Equal(2, layers.RootElement.GetArrayLength());
        Assert.True(keep.ExitCode == 0, keep.Error);
        Assert.Contains("dropped 0 expired and 0 evicted layer(s)", keep.Out);
        Assert.Contains("2 layer(s) kept", keep.Out);
        Assert.True(evict.ExitCode == 0, evict.Error);
        Assert.Contains("0 expired and 2 evicted layer(s)", evict.Out);
        Assert.Contains("0 layer(s) kept", evict.Out);
        Assert.Contains("no layers yet", after.Out);
        Assert.Empty(Directory.GetFiles(Path.Combine(_home.Path, "layers", "sqlite"), "*.db"));
    }

    [Theory]
    [InlineData("test/02_missing.sql", null, "test/02_missing.sql")]
    [InlineData("../outside.sql", null, "..")]
    [InlineData("test/01_totals.sql", "min", "--var 'min' is not NAME=VALUE")]
    [InlineData("test/01_totals.sql", "engine:oracle", "oracle")]
    public async Task Bad_input_is_refused_with_one_line_naming_it(string head, string? extra, string message)
    {
        string[] args = extra switch
        {
            null => ["chain", "run", _project, "--head", head, "--engine", "sqlite"],
            "engine:oracle" => ["chain", "run", _project, "--head", head, "--engine", "oracle"],
            _ => ["chain", "run", _project, "--head", head, "--engine", "sqlite", "--var", extra],
        };

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "layers", "sqlite")) && Directory.GetFiles(Path.Combine(_home.Path, "layers", "sqlite"), "*.db").Length > 0,
            "a refused run built no layer");
    }

    [Fact]
    public async Task A_missing_project_directory_is_refused()
    {
        var result = await _cli.RunAsync("chain", "plan", _home.File("nowhere"), "--head", "test/01.sql");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nowhere", result.Error);
    }

    [Fact]
    public async Task A_failing_tail_step_names_its_file_and_line_and_publishes_nothing_after_it()
    {
        Write("seed/01_orders.sql", "INSERT INTO orders VALUES (1, 'ada', 10);\nINSERT INTO no_such_table VALUES (1);");

        var result = await _cli.RunAsync("chain", "run", _project, "--head", "test/01_totals.sql", "--engine", "sqlite", "--var", "min=0");
        var list = await _cli.RunAsync("chain", "layers", "list");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("seed/01_orders.sql", result.Error);
        Assert.Contains("2", result.Error);
        Assert.Contains("no_such_table", result.Error);
        Assert.Contains("after schema/01_tables.sql", list.Out);
        Assert.DoesNotContain("after seed/01_orders.sql", list.Out);
    }

    private void Write(string path, string content)
    {
        var full = Path.Combine(_project, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
