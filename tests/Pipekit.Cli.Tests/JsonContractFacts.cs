using System.Text.Json.Nodes;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// One object, one JSON shape: <c>pipekit X --json</c> prints exactly what <c>GET /api/X</c> returns (a list prints the
/// items of the API's page), read from the same state store, and neither shows the lock's internals.
/// </summary>
public sealed class JsonContractFacts
{
    [Fact]
    public async Task Cli_json_is_the_api_json_for_connections_modules_groups_and_runs()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        var run = await cli.RunAsync("run", "items");
        Assert.True(run.ExitCode == 0, run.Error);

        using var api = new ApiHost(home.Path);
        using var client = api.CreateClient();
        async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await client.GetStringAsync(path))!;
        async Task<JsonNode> CliAsync(params string[] args)
        {
            var (exit, output, error) = await cli.RunAsync(args);
            Assert.True(exit == 0, $"pipekit {string.Join(' ', args)}: {error}");
            Assert.DoesNotContain("lock_owner", output, StringComparison.Ordinal);
            Assert.DoesNotContain("locked_at", output, StringComparison.Ordinal);
            return JsonNode.Parse(output)!;
        }

        var connections = (await GetAsync("/api/connections"))["items"]!;
        Assert.Equal(2, connections.AsArray().Count);
        AssertSame(connections, await CliAsync("connections", "list", "--json"));
        var src = connections.AsArray().First(c => (string)c!["name"]! == "src")!;
        AssertSame(await GetAsync($"/api/connections/{src["id"]}"), await CliAsync("connections", "show", "src", "--json"));

        var modules = (await GetAsync("/api/modules"))["items"]!;
        Assert.Single(modules.AsArray());
        AssertSame(modules, await CliAsync("modules", "list", "--json"));
        AssertSame(await GetAsync($"/api/modules/{modules[0]!["id"]}"), await CliAsync("modules", "show", "items", "--json"));

        var groups = (await GetAsync("/api/groups"))["items"]!;
        Assert.Single(groups.AsArray());
        AssertSame(groups, await CliAsync("groups", "list", "--json"));
        AssertSame(await GetAsync($"/api/groups/{groups[0]!["id"]}"), await CliAsync("groups", "show", "all", "--json"));

        var runs = (await GetAsync("/api/runs"))["items"]!;
        Assert.Equal("cli", (string)runs[0]!["triggered_by"]!);
        Assert.Equal("success", (string)runs[0]!["status"]!);
        AssertSame(runs, await CliAsync("runs", "list", "--json"));
        AssertSame(await GetAsync($"/api/runs/{runs[0]!["id"]}"), await CliAsync("runs", "show", $"{runs[0]!["id"]}", "--json"));

        var added = await cli.RunAsync("schedules", "add", "--group", "all", "--cron", "0 20 2 * * *", "--timezone", "Europe/London");
        Assert.True(added.ExitCode == 0, added.Error);
        var schedules = (await GetAsync("/api/schedules"))["items"]!;
        Assert.Equal(("0 20 2 * * *", "Europe/London", "group"),
            ((string)schedules[0]!["cron_expr"]!, (string)schedules[0]!["timezone"]!, (string)schedules[0]!["target_kind"]!));
        AssertSame(schedules, await CliAsync("schedules", "list", "--json"));
    }

    [Fact]
    public async Task A_refused_change_reads_the_same_from_the_cli_and_the_api_because_both_go_through_the_editor()
    {
        using var home = new TempDirectory();
        var cli = await SyncCliFacts.SetUpAsync(home);
        Assert.Equal(0, (await cli.RunAsync("modules", "apply", "-f", home.File("modules.toml"))).ExitCode);
        using var api = new ApiHost(home.Path);
        using var client = api.CreateClient();
        var src = JsonNode.Parse(await client.GetStringAsync("/api/connections"))!["items"]!.AsArray().First(c => (string)c!["name"]! == "src")!;

        var inUse = await cli.RunAsync("connections", "delete", "src");
        var refused = await client.PostAsync($"/api/connections/{src["id"]}/delete", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((1, 409), (inUse.ExitCode, (int)refused.StatusCode));
        Assert.Equal($"error: {(string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!}", inUse.Error.Trim());

        var literal = await cli.RunAsync("connections", "add", "bad", "--url", "postgres://u:hunter2@db/x");
        var invalid = await client.PostAsync("/api/connections", new StringContent("""{"name":"bad","url":"postgres://u:hunter2@db/x"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((2, 400), (literal.ExitCode, (int)invalid.StatusCode));
        Assert.Equal($"error: {(string)JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!["detail"]!}", literal.Error.Trim());

        var badCron = await cli.RunAsync("schedules", "add", "--group", "all", "--cron", "0 0 1 13 *");
        var group = JsonNode.Parse(await client.GetStringAsync("/api/groups"))!["items"]![0]!["id"]!;
        var badCronApi = await client.PostAsync("/api/schedules", new StringContent($$"""{"group_id":{{group}},"cron_expr":"0 0 1 13 *"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((2, 400), (badCron.ExitCode, (int)badCronApi.StatusCode));
        Assert.Equal($"error: {(string)JsonNode.Parse(await badCronApi.Content.ReadAsStringAsync())!["detail"]!}", badCron.Error.Trim());
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/api/schedules"))!["items"]!.AsArray());
    }

    private static void AssertSame(JsonNode api, JsonNode cli) =>
        Assert.True(JsonNode.DeepEquals(api, cli), $"the API shows\n{api.ToJsonString()}\nthe CLI shows\n{cli.ToJsonString()}");
}
