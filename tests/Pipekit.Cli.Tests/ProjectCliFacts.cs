using Microsoft.Data.Sqlite;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// A whole job kept as code, driven from the shell: one project file through <c>apply --dry-run</c>, <c>apply</c>,
/// <c>run</c>, <c>export</c>, a change and <c>apply --prune</c>; <c>pipekit copy</c>; and a connection whose URL is a secret.
/// </summary>
public sealed class ProjectCliFacts
{
    private static async Task<PipekitProcess> SetUpAsync(TempDirectory home)
    {
        await using (var c = new SqliteConnection($"Data Source={home.File("shop.db")};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, version INTEGER);
                INSERT INTO items VALUES (1, 'apple', 1), (2, 'pear', 1), (3, 'fig', 1);
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var cli = new PipekitProcess(home.Path);
        // The warehouse's whole URL is a secret, resolved from the environment like a password.
        cli.Environment["WAREHOUSE_URL"] = $"duckdb://{home.File("warehouse.duckdb")}";
        await File.WriteAllTextAsync(home.File("project.toml"), $$"""
            [[connections]]
            name = "shop"
            url = "sqlite://{{home.File("shop.db")}}"

            [[connections]]
            name = "warehouse"
            driver = "duckdb"
            url = "$WAREHOUSE_URL"

            [[modules]]
            name = "items"
            source = "shop"
            destination = "warehouse"
            dest_table = "items"
            merge_strategy = "incremental"
            merge_key = "id"
            source_query = "SELECT id, name, version FROM items WHERE version > {since}"

            [[modules.columns]]
            source_name = "id"
            dest_type = "INTEGER"

            [[modules.columns]]
            source_name = "name"
            dest_type = "TEXT"

            [[modules.columns]]
            source_name = "version"
            dest_type = "INTEGER"

            [[modules.watermarks]]
            name = "since"
            connection = "warehouse"
            resolver_sql = "SELECT max(version) FROM items"
            default_value = "0"

            [[groups]]
            name = "nightly"
            modules = ["items"]

            [[groups.schedules]]
            cron_expr = "0 2 * * *"
            timezone = "Europe/London"
            """);
        return cli;
    }

    [Fact]
    public async Task A_job_goes_from_one_project_file_through_plan_apply_run_export_change_and_prune()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        var project = home.File("project.toml");

        var plan = await cli.RunAsync("apply", "-f", project, "--dry-run");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("+ connection warehouse", plan.Out);
        Assert.Contains("+ schedule nightly '0 2 * * *' Europe/London", plan.Out);
        Assert.Contains("plan: 5 to create, 0 to update, 0 unchanged, 0 to remove (dry run: nothing was written)", plan.Out);
        Assert.Contains("no modules yet", (await cli.RunAsync("modules", "list")).Out);

        var apply = await cli.RunAsync("apply", "-f", project);
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("created    module items", apply.Out);
        Assert.Contains("applied: 5 created, 0 updated, 0 unchanged, 0 removed", apply.Out);

        var run = await cli.RunAsync("run", "items");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("items: success, 3 rows", run.Out);

        var export = await cli.RunAsync("export", "-o", home.File("exported.toml"));
        Assert.Equal(0, export.ExitCode);
        var exported = await File.ReadAllTextAsync(home.File("exported.toml"));
        Assert.Contains("url = \"$WAREHOUSE_URL\"", exported);
        Assert.Contains("[[groups.schedules]]", exported);
        var again = await cli.RunAsync("apply", "-f", home.File("exported.toml"), "--dry-run");
        Assert.Contains("plan: 0 to create, 0 to update, 5 unchanged, 0 to remove", again.Out);

        // The change: a new query, and the group (with its schedule) is no longer declared.
        var text = await File.ReadAllTextAsync(project);
        await File.WriteAllTextAsync(project, text[..text.IndexOf("[[groups]]", StringComparison.Ordinal)]
            .Replace("SELECT id, name, version", "SELECT id, upper(name), version", StringComparison.Ordinal));
        var keep = await cli.RunAsync("apply", "-f", project);
        Assert.Contains("updated    module items: source_query", keep.Out);
        Assert.Contains("nightly", (await cli.RunAsync("groups", "list")).Out);

        var prunePlan = await cli.RunAsync("apply", "-f", project, "--prune", "--dry-run");
        Assert.Contains("- group nightly", prunePlan.Out);
        Assert.Contains("- schedule nightly '0 2 * * *' Europe/London", prunePlan.Out);
        var prune = await cli.RunAsync("apply", "-f", project, "--prune");
        Assert.Equal(0, prune.ExitCode);
        Assert.Contains("removed    group nightly", prune.Out);
        Assert.DoesNotContain("nightly", (await cli.RunAsync("groups", "list")).Out);
        Assert.Contains("\"status\":\"success\"", (await cli.RunAsync("runs", "list", "--module", "items", "--json")).Out);
    }

    [Fact]
    public async Task Apply_says_a_widened_dest_type_is_not_altered_and_evolve_widens_it_on_the_next_run()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        var project = home.File("project.toml");
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", project)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("run", "items")).ExitCode);

        var text = await File.ReadAllTextAsync(project);
        var widened = text.Replace("source_name = \"version\"\n            dest_type = \"INTEGER\"", "source_name = \"version\"\n            dest_type = \"BIGINT\"", StringComparison.Ordinal)
            .Replace("source_name = \"version\"\ndest_type = \"INTEGER\"", "source_name = \"version\"\ndest_type = \"BIGINT\"", StringComparison.Ordinal);
        Assert.NotEqual(text, widened);
        await File.WriteAllTextAsync(project, widened);
        var apply = await cli.RunAsync("apply", "-f", project);
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("updated    module items: columns", apply.Out);
        Assert.Equal(
            "warning: module 'items': column version is declared BIGINT but is INTEGER in items on 'warehouse'; apply does not alter existing tables: "
            + "run ALTER TABLE \"items\" ALTER COLUMN \"version\" TYPE BIGINT, or set schema_change = \"evolve\" on the module and the next run widens it",
            apply.Error.Trim());

        await File.WriteAllTextAsync(project, widened.Replace("merge_key = \"id\"", "merge_key = \"id\"\nschema_change = \"evolve\"", StringComparison.Ordinal));
        var evolve = await cli.RunAsync("apply", "-f", project);
        Assert.Contains("the next run widens it (schema_change = \"evolve\")", evolve.Error);
        var run = await cli.RunAsync("run", "items");
        Assert.True(run.ExitCode == 0, run.Error);
        var again = await cli.RunAsync("apply", "-f", project);
        Assert.Contains("unchanged  module items", again.Out);
        Assert.Equal("", again.Error);
    }

    [Fact]
    public async Task A_mistyped_key_is_refused_with_a_suggestion_and_changes_nothing()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        var text = await File.ReadAllTextAsync(home.File("project.toml"));
        await File.WriteAllTextAsync(home.File("project.toml"), text.Replace("merge_key = ", "merge_kye = ", StringComparison.Ordinal));

        var result = await cli.RunAsync("apply", "-f", home.File("project.toml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown key 'merge_kye'; did you mean 'merge_key'?", result.Error);
        Assert.DoesNotContain("shop", (await cli.RunAsync("connections", "list")).Out);
    }

    [Fact]
    public async Task Copy_runs_a_table_incrementally_prints_the_run_as_json_and_keeps_no_module()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", home.File("project.toml"))).ExitCode);
        string[] copy = ["copy", "--from", "shop", "--table", "items", "--to", "warehouse", "--to-table", "items_copy",
            "--mode", "incremental", "--key", "id", "--update-key", "version"];

        var first = await cli.RunAsync(copy);
        var second = await cli.RunAsync([.. copy, "--json"]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains(": success, 3 rows", first.Out);
        // Progress as for pipekit run: one line per phase in a pipe; nothing but the JSON with --json.
        Assert.Contains("copy shop → warehouse: resolving watermarks", first.Out);
        Assert.Contains("copy shop → warehouse: merging", first.Out);
        Assert.Equal(0, second.ExitCode);
        Assert.StartsWith("{", second.Out.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("transferring", second.Out);
        Assert.Contains("\"status\":\"success\"", second.Out);
        Assert.Contains("\"row_count\":0", second.Out);
        Assert.DoesNotContain("copy_", (await cli.RunAsync("modules", "list")).Out);

        var bad = await cli.RunAsync("copy", "--from", "shop", "--table", "items", "--to", "warehouse", "--mode", "incremental");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--mode incremental needs --key", bad.Error);
    }

    [Fact]
    public async Task A_connection_url_can_be_a_secret_reference_given_with_its_driver()
    {
        using var home = new TempDirectory();
        var cli = await SetUpAsync(home);

        var withoutDriver = await cli.RunAsync("connections", "add", "wh", "--url", "$WAREHOUSE_URL");
        var withDriver = await cli.RunAsync("connections", "add", "wh", "--url", "$WAREHOUSE_URL", "--driver", "duckdb");
        var test = await cli.RunAsync("connections", "test", "wh");

        Assert.Equal(2, withoutDriver.ExitCode);
        Assert.Contains("is required when the URL is a secret reference ($WAREHOUSE_URL)", withoutDriver.Error);
        Assert.Equal(0, withDriver.ExitCode);
        Assert.True(test.ExitCode == 0, test.Out + test.Error);
        Assert.DoesNotContain("warehouse.duckdb", (await cli.RunAsync("connections", "list")).Out);
    }

    [Theory]
    [InlineData("apply", "--prune")]
    [InlineData("export", "--output")]
    [InlineData("copy", "--update-key")]
    public async Task Every_new_command_has_help(string command, string option)
    {
        using var home = new TempDirectory();
        var result = await new PipekitProcess(home.Path).RunAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(option, result.Out);
    }
}
