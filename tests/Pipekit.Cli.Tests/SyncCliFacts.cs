using Microsoft.Data.Sqlite;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

public sealed class SyncCliFacts
{
    internal static async Task<PipekitProcess> SetUpAsync(TempDirectory home)
    {
        await using (var c = new SqliteConnection($"Data Source={home.File("src.db")};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price DECIMAL(10,2));
                INSERT INTO items VALUES (1, 'apple', 1.10), (2, 'pear', 2.25), (3, 'fig', 3.00);
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("connections", "add", "src", "--url", $"sqlite://{home.File("src.db")}")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("connections", "add", "dst", "--url", $"sqlite://{home.File("dst.db")}")).ExitCode);
        await File.WriteAllTextAsync(home.File("modules.toml"), """
            [[modules]]
            name = "items"
            source = "src"
            destination = "dst"
            dest_table = "items"
            strategy = "incremental"
            merge_key = "id"
            source_query = "SELECT id, name, price FROM items WHERE id > {after}"

            [[modules.columns]]
            source_name = "id"
            dest_type = "INTEGER"

            [[modules.columns]]
            source_name = "name"
            dest_type = "TEXT"

            [[modules.columns]]
            source_name = "price"
            dest_type = "NUMERIC"

            [[modules.watermarks]]
            name = "after"
            connection = "src"
            resolver_sql = "SELECT NULL"
            default = "0"

            [[groups]]
            name = "all"
            modules = ["items"]
            """);
        return cli;
    }

    [Fact]
    public async Task A_literal_password_is_refused_with_a_hint_and_nothing_is_stored()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        var result = await cli.RunAsync("connections", "add", "pg", "--url", "postgres://etl@db1/wh", "--password", "hunter22");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pipekit secrets set", result.Error);
        Assert.DoesNotContain("hunter22", result.Error);

        var inUrl = await cli.RunAsync("connections", "add", "pg", "--url", "postgres://etl:hunter22@db1/wh");
        Assert.Equal(2, inUrl.ExitCode);
        Assert.DoesNotContain("pg ", (await cli.RunAsync("connections", "list")).Out);
    }

    [Fact]
    public async Task Drivers_list_shows_every_built_in_kind()
    {
        using var home = new TempDirectory();
        var result = await new PipekitProcess(home.Path).RunAsync("drivers", "list");
        Assert.Equal(0, result.ExitCode);
        foreach (var kind in new[] { "postgres", "duckdb", "sqlite" })
            Assert.Contains(kind, result.Out);
    }

    [Fact]
    public async Task Apply_run_and_runs_show_work_end_to_end_from_the_command_line()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);

        var apply = await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"));
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("created    module items", apply.Out);
        Assert.Contains("created    group all", apply.Out);
        Assert.Contains("unchanged  module items", (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).Out);

        var dry = await cli.RunAsync("run", "items", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("WHERE id > 0", dry.Out);

        var run = await cli.RunAsync("run", "items");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("items: success, 3 rows", run.Out);

        var group = await cli.RunAsync("groups", "run", "all");
        Assert.Equal(0, group.ExitCode);
        Assert.Contains("group all: success", group.Out);

        var list = await cli.RunAsync("runs", "list", "--module", "items", "--status", "success", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("\"status\":\"success\"", list.Out);

        var show = await cli.RunAsync("runs", "show", "2");
        Assert.Contains("-- resolved source SQL", show.Out);
        Assert.Contains("-- merge SQL", show.Out);

        var exported = await cli.RunAsync("modules", "export");
        Assert.Contains("[[modules.watermarks]]", exported.Out);
        Assert.Contains("[[groups]]", exported.Out);
    }

    [Fact]
    public async Task Modules_show_masks_a_secret_in_the_resolved_sql_and_prints_the_definition_as_stored()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        // The watermark's default is also a secret's value: the definition shows it as stored (the API does the same, so a
        // definition read and written back stays intact); the SQL a run resolved from it is run output and is masked.
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("default = \"0\"", "default = \"987654321\""));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("run", "items", "--dry-run")).ExitCode);
        // The value becomes a secret after the run stored its resolved SQL: showing it must mask it all the same.
        await File.WriteAllTextAsync(home.File("secrets.toml"), "[global]\nLAST_ID = \"987654321\"\n");

        var show = await cli.RunAsync("modules", "show", "items");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("(default 987654321)", show.Out);
        Assert.Contains("WHERE id > ***", show.Out);
        Assert.DoesNotContain("WHERE id > 987654321", show.Out);

        var json = await cli.RunAsync("modules", "show", "items", "--json");
        Assert.Contains("\"default_value\":\"987654321\"", json.Out);
        Assert.DoesNotContain("WHERE id > 987654321", json.Out);

        var exported = await cli.RunAsync("modules", "export");
        Assert.Contains("987654321", exported.Out);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
    }

    [Fact]
    public async Task Verify_exits_0_on_a_match_and_1_with_the_missing_key_after_a_destination_row_is_lost()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("merge_key = \"id\"", "merge_key = \"id\"\ndelete_detection = \"hard\"\nverify = \"keys\""));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("run", "items")).ExitCode);
        Assert.Contains("verify = \"keys\"", (await cli.RunAsync("modules", "export")).Out);

        var match = await cli.RunAsync("verify", "items");
        Assert.Equal(0, match.ExitCode);
        Assert.Contains("items: verify (keys): match; source 3 rows, destination 3 rows", match.Out);

        await using (var c = new SqliteConnection($"Data Source={home.File("dst.db")};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM items WHERE id = 2";
            await cmd.ExecuteNonQueryAsync();
        }
        var drift = await cli.RunAsync("verify", "items", "--columns");

        Assert.Equal(1, drift.ExitCode);
        Assert.Contains("DRIFT; source 3 rows, destination 2 rows; 1 missing from the destination, 0 extra", drift.Out);
        Assert.Contains("missing from the destination (first 1): 2|pear|2.25", drift.Out);
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_the_error_and_the_run_id()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("FROM items WHERE", "FROM no_such_table WHERE"));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var run = await cli.RunAsync("run", "items");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no_such_table", run.Error);
        Assert.Contains("run 1", run.Error);
    }

    [Fact]
    public async Task A_bad_modules_file_changes_nothing()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        await File.WriteAllTextAsync(home.File("bad.toml"), """
            [[modules]]
            name = "good"
            source = "src"
            destination = "dst"
            dest_table = "good"
            strategy = "full"
            source_query = "SELECT 1 AS x"

            [[modules]]
            name = "bad"
            source = "src"
            destination = "dst"
            dest_table = "bad"
            strategy = "full"
            source_query = "SELECT {nope} AS x"
            """);
        var result = await cli.RunAsync("modules", "apply", "-f", home.File("bad.toml"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("{nope}", result.Error);
        Assert.Contains("no modules yet", (await cli.RunAsync("modules", "list")).Out);
    }
}
