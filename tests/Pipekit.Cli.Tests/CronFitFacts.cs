using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Runs;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>The CLI as cron drives it: exit codes, one line per failure, JSON records, signals, and the helper commands.</summary>
public sealed class CronFitFacts
{
    private const string SlowModule = """

        [[modules]]
        name = "slow"
        source = "src"
        destination = "dst"
        dest_table = "slow"
        strategy = "full"
        source_query = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 200000000) SELECT x FROM r"

        [[modules.columns]]
        source_name = "x"
        dest_type = "INTEGER"
        """;

    private static async Task<PipekitProcess> WithHookAsync(TempDirectory home)
    {
        var cli = await SyncCliFacts.SetUpAsync(home);
        var text = await File.ReadAllTextAsync(home.File("modules.toml"));
        // The hook belongs to the module, so it goes before [[groups]].
        await File.WriteAllTextAsync(home.File("modules.toml"), text.Replace("[[groups]]", """
            [[modules.hooks]]
            connection = "dst"
            sql = "INSERT INTO no_such_table VALUES (1)"

            [[groups]]
            """));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        return cli;
    }

    [Fact]
    public async Task A_failed_hook_exits_1_saying_the_merge_stands_unless_hook_failure_is_allowed()
    {
        using var home = new TempDirectory();
        var cli = await WithHookAsync(home);

        var run = await cli.RunAsync("run", "items");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("items: success, 3 rows", run.Out);
        Assert.Equal("error: items: a hook failed; the merge stands; see 'pipekit runs show 1'", run.Error.Trim());

        var allowed = await cli.RunAsync("run", "items", "--allow-hook-failure");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("", allowed.Error);

        var list = await cli.RunAsync("runs", "list");
        Assert.Contains("success, hook failed", list.Out);
        Assert.DoesNotContain("success*", list.Out);
    }

    [Fact]
    public async Task A_module_that_says_hooks_may_fail_exits_0_on_a_failed_hook_and_keeps_the_setting_through_export()
    {
        using var home = new TempDirectory();
        var cli = await WithHookAsync(home);
        var file = home.File("modules.toml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("merge_key = \"id\"", "merge_key = \"id\"\nhooks_may_fail = true"));
        var apply = await cli.RunAsync("modules", "apply", "-f", file);
        Assert.Contains("updated    module items: hooks_may_fail", apply.Out);

        var run = await cli.RunAsync("run", "items");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("items: a hook failed; the merge stands; see 'pipekit runs show 1'", run.Out);
        Assert.Equal("", run.Error);

        var group = await cli.RunAsync("groups", "run", "all");
        Assert.Equal(0, group.ExitCode);
        Assert.Contains("items: a hook failed; the merge stands; see 'pipekit runs show 2'", group.Out);

        Assert.Equal(0, (await cli.RunAsync("export", "-o", home.File("exported.toml"))).ExitCode);
        var exported = await File.ReadAllTextAsync(home.File("exported.toml"));
        Assert.Contains("hooks_may_fail = true", exported);
        Assert.Contains("0 to update", (await cli.RunAsync("apply", "-f", home.File("exported.toml"), "--dry-run")).Out);
        Assert.Contains("\"hooks_may_fail\":true", (await cli.RunAsync("modules", "show", "items", "--json")).Out);

        // Without the setting the same failure is exit 1 again, from 'run' and from 'groups run'.
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("hooks_may_fail = true", "hooks_may_fail = false"));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", file)).ExitCode);
        Assert.Equal(1, (await cli.RunAsync("run", "items")).ExitCode);
        var strict = await cli.RunAsync("groups", "run", "all");
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal("error: items: a hook failed; the merge stands; see 'pipekit runs show 4'", strict.Error.Trim());
        Assert.Equal(0, (await cli.RunAsync("groups", "run", "all", "--allow-hook-failure")).ExitCode);
    }

    [Fact]
    public async Task Run_json_prints_the_run_record_and_nothing_else_on_stdout()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var run = await cli.RunAsync("run", "items", "--json");

        Assert.Equal(0, run.ExitCode);
        var record = JsonNode.Parse(run.Out)!;
        Assert.Equal("success", (string)record["status"]!);
        Assert.Equal(3, (long)record["row_count"]!);
        Assert.Equal("cli", (string)record["triggered_by"]!);
        Assert.Contains("SELECT id, name, price FROM items", (string)record["resolved_source_sql"]!);
    }

    [Fact]
    public async Task A_failed_run_is_one_line_on_stderr_without_the_engine_log_line()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("FROM items WHERE", "FROM no_such_table WHERE"));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var run = await cli.RunAsync("run", "items");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("error: items: ", line);
        Assert.EndsWith("(run 1; 'pipekit runs show 1' has the details)", line);
        Assert.DoesNotContain("warn", run.Out + run.Error);
    }

    [Fact]
    public async Task Progress_in_a_pipe_names_each_phase()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var run = await cli.RunAsync("run", "items");

        var phases = run.Out.Split('\n').Where(l => l.StartsWith("items: ", StringComparison.Ordinal) && !l.Contains("rows/s") && !l.Contains("success")).ToList();
        Assert.Equal(["items: resolving watermarks", "items: transferring", "items: merging"], phases);
    }

    [Fact]
    public async Task An_unknown_module_gets_did_you_mean_and_help_hints_name_the_full_command()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var typo = await cli.RunAsync("run", "itmes");
        Assert.Equal(1, typo.ExitCode);
        Assert.Equal("error: no module named 'itmes' (did you mean 'items'?); 'pipekit modules list' shows them", typo.Error.Trim());

        var missing = await cli.RunAsync("connections", "add");
        Assert.Equal(2, missing.ExitCode);
        Assert.EndsWith("run 'pipekit connections add --help' for usage", missing.Error.Trim());
    }

    [Fact]
    public async Task Group_runs_list_and_show_print_the_group_runs_with_their_module_runs()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("groups", "run", "all")).ExitCode);

        var list = await cli.RunAsync("group-runs", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"(?m)^ 1  all    success  ", list.Out);

        var show = await cli.RunAsync("group-runs", "show", "1", "--json");
        var body = JsonNode.Parse(show.Out)!;
        Assert.Equal("all", (string)body["group_name"]!);
        Assert.Equal("items", (string)body["runs"]![0]!["module_name"]!);

        var none = await cli.RunAsync("group-runs", "show", "9");
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("error: no group run 9; 'pipekit group-runs list' shows them", none.Error.Trim());

        // Nothing failed in group run 1, so there is nothing to re-run, and no group run starts.
        var rerun = await cli.RunAsync("group-runs", "rerun", "1");
        Assert.NotEqual(0, rerun.ExitCode);
        Assert.Contains("group run 1 of group 'all' has no failed members; nothing to re-run", rerun.Error);
        Assert.Equal(1, (await cli.RunAsync("group-runs", "rerun", "9")).ExitCode);
        Assert.DoesNotMatch(@"\n\s+2 all", (await cli.RunAsync("group-runs", "list")).Out);
    }

    [Fact]
    public async Task Modules_new_writes_a_module_file_from_the_driver_defaults_that_applies_and_runs()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);

        var created = await cli.RunAsync("modules", "new", "--from", "src", "--table", "items", "--to", "dst", "--name", "items_copy", "-o", home.File("new.toml"));
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("wrote module 'items_copy' (3 columns, strategy full)", created.Out);
        var text = await File.ReadAllTextAsync(home.File("new.toml"));
        Assert.Contains("dest_type = \"NUMERIC(10,2)\"", text);

        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("new.toml"))).ExitCode);
        Assert.Contains("items_copy: success, 3 rows", (await cli.RunAsync("run", "items_copy")).Out);

        var again = await cli.RunAsync("modules", "new", "--from", "src", "--table", "items", "-o", home.File("new.toml"));
        Assert.Equal(2, again.ExitCode);
        Assert.Equal($"error: {home.File("new.toml")} exists; choose another --output or remove it first", again.Error.Trim());

        var qualified = await cli.RunAsync("modules", "new", "--from", "src", "--table", "a.b.items");
        Assert.Equal("error: --table 'a.b.items': this connection's tables take no qualifier; give the table name alone", qualified.Error.Trim());
    }

    [Fact]
    public async Task Apply_warns_when_two_modules_write_one_destination_table()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("modules", "new", "--from", "src", "--table", "items", "--to", "dst", "--name", "twin", "-o", home.File("twin.toml"))).ExitCode);

        var apply = await cli.RunAsync("modules", "apply", "-f", home.File("twin.toml"));

        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("warning: modules 'items', 'twin' all write items on 'dst'", apply.Error);
    }

    [Fact]
    public async Task Modules_show_resolves_the_preview_now_and_says_a_missing_destination_will_be_created()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        var show = await cli.RunAsync("modules", "show", "items");

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("note: items does not exist yet: the run creates it from the 3 declared column(s) first", show.Out);
        Assert.Contains("-- next resolved source query (resolved now)", show.Out);
        Assert.Contains("WHERE id > 0", show.Out);
    }

    [Fact]
    public async Task Completion_prints_a_script_for_each_shell_and_completes_commands()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        foreach (var shell in new[] { "bash", "zsh", "fish" })
        {
            var script = await cli.RunAsync("completion", shell);
            Assert.Equal(0, script.ExitCode);
            Assert.Contains("pipekit __complete", script.Out);
        }
        var completions = await cli.RunAsync("__complete", "14", "pipekit group");
        Assert.Equal(["group-runs", "groups"], completions.Out.Trim().Split('\n'));
        var options = await cli.RunAsync("__complete", "14", "pipekit run --");
        Assert.Contains("--allow-hook-failure", options.Out.Split('\n'));

        var unknown = await cli.RunAsync("completion", "tcsh");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Sigterm_cancels_the_run_and_exits_143_and_sigint_exits_130()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        // Every [[modules]] entry stays in one block, before [[groups]].
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("[[groups]]", SlowModule.TrimStart() + "\n\n[[groups]]"));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        foreach (var (signal, code) in new[] { ("TERM", 143), ("INT", 130) })
        {
            var (exit, _, error) = await RunUntilProgressThenAsync(home, ["run", "slow"], async pid => await KillAsync(signal, pid));
            Assert.Equal(code, exit);
            Assert.Contains("slow: cancelled; the destination was left as it was", error);
        }
        var list = await cli.RunAsync("runs", "list", "--module", "slow", "--json");
        Assert.All(JsonNode.Parse(list.Out)!.AsArray(), r => Assert.Equal("cancelled", (string)r!["status"]!));
    }

    [Fact]
    public async Task Cancel_stops_a_run_of_another_process_through_the_state_store()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        // Every [[modules]] entry stays in one block, before [[groups]].
        await File.WriteAllTextAsync(home.File("modules.toml"),
            (await File.ReadAllTextAsync(home.File("modules.toml"))).Replace("[[groups]]", SlowModule.TrimStart() + "\n\n[[groups]]"));
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);

        (int ExitCode, string Out, string Error) cancel = default;
        var (exit, _, error) = await RunUntilProgressThenAsync(home, ["run", "slow"], async _ => cancel = await cli.RunAsync("cancel", "slow"));

        Assert.Equal(0, cancel.ExitCode);
        Assert.Contains("asked run 1 of module 'slow' to stop", cancel.Out);
        Assert.Contains("run 1 of module 'slow': cancelled", cancel.Out);
        Assert.Equal(1, exit);
        Assert.Contains("slow: cancelled", error);

        var idle = await cli.RunAsync("cancel", "slow");
        Assert.Equal("error: module 'slow' is not running; 'pipekit runs list --module slow' shows its runs", idle.Error.Trim());
        var typo = await cli.RunAsync("cancel", "slwo");
        Assert.Equal("error: no run, module or group named 'slwo' (did you mean 'slow'?); 'pipekit runs list', 'pipekit modules list' and 'pipekit groups list' show them", typo.Error.Trim());
    }

    [Fact]
    public async Task Serve_on_a_taken_port_is_one_line_and_exit_2()
    {
        using var home = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var serve = await new PipekitProcess(home.Path).RunAsync("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, serve.ExitCode);
        Assert.Equal($"error: port {port} is taken; use --port", serve.Error.Trim());
        Assert.DoesNotContain("scheduler", serve.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_demo_refuses_a_directory_it_did_not_create()
    {
        using var home = new TempDirectory();
        var mine = home.File("mine");
        Directory.CreateDirectory(mine);
        await File.WriteAllTextAsync(Path.Combine(mine, "precious.txt"), "keep me");
        var cli = new PipekitProcess(home.Path);
        cli.Environment["PIPEKIT_HOME"] = mine;

        var demo = await cli.RunAsync("demo", "--no-serve");

        Assert.Equal(2, demo.ExitCode);
        Assert.Equal($"error: {mine} was not created by the demo (no .pipekit-demo file in it), so the demo will not reset it; run './pipekit demo --home DIR' with a new or empty directory", demo.Error.Trim());
        Assert.True(File.Exists(Path.Combine(mine, "precious.txt")));
    }

    [Theory]
    [InlineData("ERROR: 23505: duplicate key\nDETAIL: Key (id)=(1) already exists.", "ERROR: 23505: duplicate key | DETAIL: Key (id)=(1) already exists.")]
    [InlineData("one line", "one line")]
    [InlineData(null, "")]
    public void Multi_line_errors_fold_into_one_line_for_tables(string? error, string folded) => Assert.Equal(folded, RunText.OneLine(error));

    [Fact]
    public void Did_you_mean_picks_the_closest_name_within_reach()
    {
        Assert.Equal("named 'ordres' (did you mean 'orders'?)", NameSuggestion.Named("ordres", ["customers", "orders", "order_lines"]));
        Assert.Equal("named 'zzz'", NameSuggestion.Named("zzz", ["orders"]));
    }

    /// <summary>Starts the CLI, waits for its first progress line, runs <paramref name="then"/> with its pid, and waits for it to exit.</summary>
    private static async Task<(int ExitCode, string Out, string Error)> RunUntilProgressThenAsync(TempDirectory home, string[] args, Func<int, Task> then)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipekit.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PIPEKIT_HOME"] = home.Path;
        psi.Environment.Remove("PIPEKIT_CONFIG");
        psi.Environment.Remove("PIPEKIT_SECRETS");
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var progressed = new TaskCompletionSource();
        var stdout = Task.Run(async () =>
        {
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output) output.AppendLine(line);
                if (line.Contains("rows/s", StringComparison.Ordinal)) progressed.TrySetResult();
            }
        });
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await progressed.Task.WaitAsync(timeout.Token);
            await then(p.Id);
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Say where it stuck: the output so far, and whether the process is still there.
            p.Kill(entireProcessTree: true);
            string so;
            lock (output) so = output.ToString();
            throw new TimeoutException($"pipekit {string.Join(' ', args)} did not finish in 2 minutes; stdout so far:\n{so}\nstderr:\n{await stderr}");
        }
        await stdout;
        return (p.ExitCode, output.ToString(), await stderr);
    }

    private static async Task KillAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }
}
