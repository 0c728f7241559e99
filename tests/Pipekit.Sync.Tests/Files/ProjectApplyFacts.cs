using Pipekit.Core.Retries;
using Pipekit.Core.Connections;
using Pipekit.Core.Errors;
using Pipekit.Core.Scheduling;
using Pipekit.Core.State;
using Pipekit.Core.Validation;
using Pipekit.Sync.Files;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Files;

/// <summary>
/// <c>pipekit apply</c> with whole project files: connections, modules, groups and their schedules are planned as a
/// diff, written in one transaction, pruned on request, and what <c>export</c> writes applies back as a no-op.
/// </summary>
public abstract class ProjectApplyFacts(TestStateStore store)
{
    private static string Project(SyncHarness h) => $$"""
        [[connections]]
        name = "shop"
        url = "sqlite://{{h.File("shop.db")}}"
        default_dest_connection = "warehouse"

        [[connections]]
        name = "warehouse"
        driver = "duckdb"
        url = "$WAREHOUSE_URL"
        notes = "the analytics copy"

        [[modules]]
        name = "orders"
        source = "shop"
        destination = "warehouse"
        dest_table = "orders"
        merge_strategy = "incremental"
        merge_key = "id"
        retries = 2
        retry_delay = "1m30s"
        retry_backoff = "exponential"
        source_query = "SELECT id, qty FROM orders WHERE id > {after}"

        [[modules.columns]]
        source_name = "id"
        dest_type = "INTEGER"

        [[modules.columns]]
        source_name = "qty"
        dest_type = "INTEGER"

        [[modules.watermarks]]
        name = "after"
        connection = "warehouse"
        resolver_sql = "SELECT max(id) FROM orders"
        default_value = "0"

        [[modules.hooks]]
        run_order = 1
        connection = "warehouse"
        sql = "SELECT 1"
        run_on = "always"

        [[groups]]
        name = "nightly"
        modules = ["orders"]

        [[groups.schedules]]
        cron_expr = "0 2 * * *"
        timezone = "Europe/London"

        [[groups.schedules]]
        cron_expr = "*/15 * * * *"
        enabled = false
        """;

    private static Task<SyncHarness> StartAsync(TestStateStore store) =>
        SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });

    [Fact]
    public async Task A_dry_run_plans_everything_as_created_and_writes_nothing()
    {
        await using var h = await StartAsync(store);

        var plan = await ApplyAsync(h, Project(h), new ApplyOptions { DryRun = true });

        Assert.Equal(
        [
            Change("connection", "shop", ApplyAction.Created), Change("connection", "warehouse", ApplyAction.Created),
            Change("module", "orders", ApplyAction.Created), Change("group", "nightly", ApplyAction.Created),
            Change("schedule", "nightly '0 2 * * *' Europe/London", ApplyAction.Created), Change("schedule", "nightly '*/15 * * * *' UTC", ApplyAction.Created),
        ], plan);
        Assert.Empty(await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None));
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Applying_creates_connections_modules_groups_and_schedules_and_export_applies_back_as_a_no_op()
    {
        await using var h = await StartAsync(store);

        await ApplyAsync(h, Project(h));
        var exported = await h.Get<ProjectExporter>().ExportAsync(CancellationToken.None);
        var again = await ApplyAsync(h, exported);

        Assert.All(again, c => Assert.Equal(ApplyAction.Unchanged, c.Action));
        Assert.Equal(6, again.Count);
        Assert.Equal(exported, await h.Get<ProjectExporter>().ExportAsync(CancellationToken.None));
        var connections = (await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None)).ToDictionary(c => c.Name);
        Assert.Equal("$WAREHOUSE_URL", connections["warehouse"].Url);
        Assert.Equal(connections["warehouse"].Id, connections["shop"].DefaultDestConnectionId);
        var orders = await h.Modules.FindAsync("orders", CancellationToken.None);
        Assert.Equal((2, TimeSpan.FromSeconds(90), RetryBackoff.Exponential), (orders!.Retries, orders.RetryDelay, orders.RetryBackoff));
        var group = await h.Get<GroupRepository>().FindAsync("nightly", CancellationToken.None);
        var schedules = await h.Get<ScheduleRepository>().ListAsync("group", group!.Id, null, CancellationToken.None);
        Assert.Equal([("0 2 * * *", "Europe/London", true), ("*/15 * * * *", "UTC", false)], schedules.Select(s => (s.CronExpr, s.Timezone, s.Enabled)));
        Assert.NotNull(schedules[0].NextFireAt);
        Assert.Null(schedules[1].NextFireAt);
    }

    [Fact]
    public async Task An_update_names_the_fields_that_changed_and_keeps_watermark_and_hook_ids()
    {
        await using var h = await StartAsync(store);
        await ApplyAsync(h, Project(h));
        var before = await h.Modules.FindAsync("orders", CancellationToken.None);

        var changes = await ApplyAsync(h, Project(h)
            .Replace("notes = \"the analytics copy\"", "notes = \"moved\"", StringComparison.Ordinal)
            .Replace("merge_strategy = \"incremental\"", "merge_strategy = \"append\"", StringComparison.Ordinal)
            .Replace("merge_key = \"id\"\n", "", StringComparison.Ordinal)
            .Replace("enabled = false", "enabled = true", StringComparison.Ordinal));

        Assert.Equal(
        [
            Change("connection", "shop", ApplyAction.Unchanged),
            Change("connection", "warehouse", ApplyAction.Updated) with { ChangedFields = ["notes"] },
            Change("module", "orders", ApplyAction.Updated) with { ChangedFields = ["merge_strategy", "merge_key"] },
            Change("group", "nightly", ApplyAction.Unchanged),
            Change("schedule", "nightly '0 2 * * *' Europe/London", ApplyAction.Unchanged),
            Change("schedule", "nightly '*/15 * * * *' UTC", ApplyAction.Updated) with { ChangedFields = ["enabled"] },
        ], changes);
        var after = await h.Modules.FindAsync("orders", CancellationToken.None);
        Assert.Equal(before!.Watermarks.Single().Id, after!.Watermarks.Single().Id);
        Assert.Equal(before.Hooks.Single().Id, after.Hooks.Single().Id);
    }

    [Fact]
    public async Task Two_hooks_with_one_run_order_stay_two_hooks_when_the_file_is_applied_again()
    {
        await using var h = await StartAsync(store);
        var twoHooks = Project(h).Replace("[[groups]]", """
            [[modules.hooks]]
            run_order = 1
            connection = "warehouse"
            sql = "SELECT 2"

            [[groups]]
            """, StringComparison.Ordinal);
        await ApplyAsync(h, twoHooks);

        var again = await ApplyAsync(h, twoHooks.Replace("SELECT 2", "SELECT 3", StringComparison.Ordinal));

        Assert.Contains(Change("module", "orders", ApplyAction.Updated) with { ChangedFields = ["hooks"] }, again);
        var module = await h.Modules.FindAsync("orders", CancellationToken.None);
        Assert.Equal(["SELECT 1", "SELECT 3"], module!.Hooks.Select(x => x.Sql).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prune_removes_what_the_files_no_longer_declare_and_without_it_nothing_is_removed()
    {
        await using var h = await StartAsync(store);
        await ApplyAsync(h, Project(h));
        var smaller = Project(h)[..Project(h).IndexOf("[[modules]]", StringComparison.Ordinal)];

        var kept = await ApplyAsync(h, smaller);
        var plan = await ApplyAsync(h, smaller, new ApplyOptions { Prune = true, DryRun = true });
        Assert.NotEmpty(await h.Modules.ListAsync(CancellationToken.None));
        var pruned = await ApplyAsync(h, smaller, new ApplyOptions { Prune = true });

        Assert.Equal([Change("connection", "shop", ApplyAction.Unchanged), Change("connection", "warehouse", ApplyAction.Unchanged)], kept);
        Assert.Equal(pruned, plan);
        Assert.Equal(
        [
            Change("connection", "shop", ApplyAction.Unchanged), Change("connection", "warehouse", ApplyAction.Unchanged),
            Change("schedule", "nightly '0 2 * * *' Europe/London", ApplyAction.Removed), Change("schedule", "nightly '*/15 * * * *' UTC", ApplyAction.Removed),
            Change("group", "nightly", ApplyAction.Removed), Change("module", "orders", ApplyAction.Removed),
        ], pruned);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
        Assert.Empty(await h.Get<GroupRepository>().ListAsync(CancellationToken.None));
        Assert.Empty(await h.Get<ScheduleRepository>().ListAsync(null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Prune_refuses_to_remove_a_running_module_and_changes_nothing()
    {
        await using var h = await StartAsync(store);
        await ApplyAsync(h, Project(h));
        await h.ExecuteStateAsync("UPDATE module SET running = 1, lock_owner = 'elsewhere:1:x' WHERE name = 'orders'");
        var smaller = Project(h)[..Project(h).IndexOf("[[modules]]", StringComparison.Ordinal)];

        var ex = await Assert.ThrowsAsync<ValidationException>(() => ApplyAsync(h, smaller, new ApplyOptions { Prune = true }));

        Assert.Equal(["module 'orders' is running, so --prune will not remove it; wait for the run to end (or cancel it) and apply again"], ex.Errors["orders.prune"]);
        Assert.NotNull(await h.Get<GroupRepository>().FindAsync("nightly", CancellationToken.None));
    }

    [Fact]
    public async Task A_write_that_fails_part_way_leaves_the_state_as_it_was()
    {
        await using var h = await StartAsync(store);
        await h.ExecuteStateAsync(store.Kind == StoreKind.Sqlite
            ? "CREATE TRIGGER refuse_groups BEFORE INSERT ON grp BEGIN SELECT RAISE(ABORT, 'groups are refused here'); END"
            : """
              CREATE FUNCTION refuse_groups() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'groups are refused here'; END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_groups BEFORE INSERT ON grp FOR EACH ROW EXECUTE FUNCTION refuse_groups();
              """);

        await Assert.ThrowsAnyAsync<Exception>(() => ApplyAsync(h, Project(h)));

        Assert.Empty(await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None));
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        { "url = \"$WAREHOUSE_URL\"", "url = \"$WAREHOUSE_URL\"\nnotes = \"x\"\nname2 = \"y\"", "file",
            "p.toml: connections[1] (warehouse): unknown key 'name2'; did you mean 'name'? (expected one of: name, driver, url, username, password, dialect, project, default_dest_connection, default_dest_schema, notes)" },
        { "driver = \"duckdb\"\n", "", "warehouse.driver",
            "is required when the URL is a secret reference ($WAREHOUSE_URL): the driver cannot be read from it; give it (--driver postgres, or driver = \"postgres\" in a project file)" },
        { "default_dest_connection = \"warehouse\"", "default_dest_connection = \"shop\"", "shop.default_dest_connection",
            "a connection cannot be its own default destination; name another connection" },
        { "default_dest_connection = \"warehouse\"", "default_dest_connection = \"warehose\"", "shop.default_dest_connection",
            "connection 'warehose' is neither declared in p.toml nor stored; did you mean 'warehouse'?" },
        { "source = \"shop\"", "source = \"shopp\"", "orders.source",
            "connection 'shopp' does not exist (in p.toml); declare it in [[connections]] or add it with 'pipekit connections add shopp'; did you mean 'shop'?" },
        { "merge_strategy = \"incremental\"", "merge_strategy = \"incremental\"\nstrategy = \"full\"", "file",
            "p.toml: modules[0] (orders): give 'merge_strategy' or its old name 'strategy', not both" },
        { "merge_strategy = \"incremental\"", "merge_stratgy = \"incremental\"", "file",
            "p.toml: modules[0] (orders): unknown key 'merge_stratgy'; did you mean 'merge_strategy'? (expected one of: name, project, source, destination, dest_table, source_query, merge_strategy, merge_key, enabled, notes, delete_detection, keys_query, allow_empty_source, schema_change, verify, hooks_may_fail, full_load, retries, retry_delay, retry_backoff, columns, watermarks, hooks)" },
        { "retry_delay = \"1m30s\"", "retry_delay = \"soon\"", "orders.retry_delay",
            "'soon' is not a duration; write e.g. \"30s\", \"2m\" or \"1m30s\"" },
        { "retry_backoff = \"exponential\"", "retry_backoff = \"linear\"", "orders.retry_backoff", "'linear' must be fixed or exponential" },
        { "retries = 2", "retries = 11", "orders.retries", "11 must be between 0 and 10" },
        { "modules = [\"orders\"]", "modules = [\"orders\", \"orders\"]", "nightly.modules",
            "group 'nightly' lists module 'orders' 2 times; list each module once" },
        { "modules = [\"orders\"]", "modules = [\"order\"]", "nightly.modules",
            "group 'nightly' lists module 'order', which neither exists nor is declared in p.toml; did you mean 'orders'?" },
        { "cron_expr = \"0 2 * * *\"", "cron_expr = \"0 25 * * *\"", "nightly.schedules.cron_expr",
            "the hour field '25' is invalid (field 2 of 5)" },
        { "cron_expr = \"*/15 * * * *\"", "cron_expr = \"0 2 * * *\"\ntimezone = \"Europe/London\"", "nightly.schedules",
            "schedule '0 2 * * *' (Europe/London) is declared twice for group 'nightly'" },
        { "timezone = \"Europe/London\"", "timezone = \"Mars/Olympus\"", "nightly.schedules.timezone",
            "'Mars/Olympus' is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_anywhere_is_refused_with_its_message_and_nothing_is_written(string find, string replace, string field, string message)
    {
        await using var h = await StartAsync(store);
        var text = Project(h).Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Project(h), text);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => ApplyAsync(h, text));

        Assert.Equal([message], ex.Errors[field]);
        Assert.Empty(await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Prune_refuses_a_declared_module_whose_connection_the_files_no_longer_declare()
    {
        await using var h = await StartAsync(store);
        await ApplyAsync(h, Project(h));
        var withoutShop = Project(h).Replace($"""
            [[connections]]
            name = "shop"
            url = "sqlite://{h.File("shop.db")}"
            default_dest_connection = "warehouse"

            """, "", StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => ApplyAsync(h, withoutShop, new ApplyOptions { Prune = true }));

        Assert.Equal(["connection 'shop' is not declared in the files, so --prune would remove it; declare it in [[connections]]"], ex.Errors["orders.source"]);
    }

    private static async Task<IReadOnlyList<ApplyChange>> ApplyAsync(SyncHarness h, string toml, ApplyOptions? options = null)
    {
        // A parse error is a validation error too: it reaches the caller the same way.
        var file = SyncFileParser.Parse(toml, "p.toml");
        return await h.Get<SyncFileApplier>().ApplyAsync([file], options ?? new ApplyOptions(), CancellationToken.None);
    }

    private static ApplyChange Change(string kind, string name, ApplyAction action) => new(kind, name, action);

    public sealed class OnSqlite() : ProjectApplyFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : ProjectApplyFacts(TestStateStore.Postgres(postgres))
    {
        [PostgresFact]
        public async Task An_apply_that_deadlocks_with_another_writer_plans_again_and_lands()
        {
            await using var h = await StartAsync(TestStateStore.Postgres(postgres));
            await ApplyAsync(h, Project(h));
            var changed = Project(h).Replace("notes = \"the analytics copy\"", "notes = \"moved\"", StringComparison.Ordinal)
                .Replace("retries = 2", "retries = 3", StringComparison.Ordinal);

            // Another writer holds the module's row; the apply updates the connection, then waits for that row; the other
            // writer then asks for the connection's row: a cycle, which PostgreSQL breaks by failing the apply (whose
            // deadlock timeout is the shorter one).
            await using var other = (Npgsql.NpgsqlConnection)await h.State.OpenAsync(CancellationToken.None);
            await using var tx = await other.BeginTransactionAsync();
            await Exec(other, "SET LOCAL deadlock_timeout = '30s'");
            await Exec(other, "UPDATE module SET notes = 'held' WHERE name = 'orders'");
            var apply = ApplyAsync(h, changed);
            // pg_locks is read live (pg_stat_activity would answer from the transaction's first snapshot).
            await WaitUntilAsync(async () => await CountAsync(other,
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))") > 0);
            await Exec(other, "UPDATE connection SET notes = 'held' WHERE name = 'warehouse'");
            await tx.CommitAsync();
            var changes = await apply;

            Assert.Contains(Change("connection", "warehouse", ApplyAction.Updated) with { ChangedFields = ["notes"] }, changes);
            Assert.Equal(3, (await h.Modules.FindAsync("orders", CancellationToken.None))!.Retries);
            var warehouse = (await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None)).Single(c => c.Name == "warehouse");
            Assert.Equal("moved", warehouse.Notes);
        }

        private static async Task Exec(Npgsql.NpgsqlConnection c, string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync();
        }

        private static async Task<long> CountAsync(Npgsql.NpgsqlConnection c, string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, c);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        private static async Task WaitUntilAsync(Func<Task<bool>> condition)
        {
            for (var i = 0; i < 3000 && !await condition(); i++) await Task.Delay(5);
        }
    }
}
