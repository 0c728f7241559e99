using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary><c>POST /api/apply</c> and <c>GET /api/export</c>: the same plan and file as <c>pipekit apply</c> and <c>pipekit export</c>.</summary>
public sealed class ProjectApiFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    private string Project => $$"""
        [[connections]]
        name = "src"
        url = "sqlite://{{_app.SourcePath}}"

        [[groups]]
        name = "nightly"

        [[groups.schedules]]
        cron_expr = "0 2 * * *"
        """;

    [Fact]
    public async Task A_dry_run_plans_an_apply_writes_and_export_returns_a_file_that_applies_back_unchanged()
    {
        var client = _app.Client();

        var plan = await client.PostJsonAsync("/api/apply", new { files = new[] { new { name = "p.toml", content = Project } }, dry_run = true });
        Assert.True((bool)plan["dry_run"]!);
        Assert.Equal(["created", "created", "created"], plan["changes"]!.AsArray().Select(c => (string)c!["action"]!));
        Assert.Empty((await client.GetJsonAsync("/api/groups"))["items"]!.AsArray());

        await client.PostJsonAsync("/api/apply", new { files = new[] { new { name = "p.toml", content = Project } } });
        var export = await client.GetAsync("/api/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/toml", export.Content.Headers.ContentType!.MediaType);
        var exported = await export.Content.ReadAsStringAsync();
        Assert.Contains("[[groups.schedules]]", exported);

        var again = await client.PostJsonAsync("/api/apply", new { files = new[] { new { name = "exported.toml", content = exported } } });
        Assert.All(again["changes"]!.AsArray(), c => Assert.Equal("unchanged", (string)c!["action"]!));
    }

    [Fact]
    public async Task A_bad_file_is_a_400_naming_the_key_and_changes_nothing()
    {
        var client = _app.Client();

        var problem = await (await client.PostAsync("/api/apply",
            new { files = new[] { new { name = "p.toml", content = Project.Replace("cron_expr", "cronn_expr", StringComparison.Ordinal) } } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var empty = await (await client.PostAsync("/api/apply", new { files = Array.Empty<object>() })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("unknown key 'cronn_expr'; did you mean 'cron_expr'?", (string)problem["errors"]!["file"]![0]!);
        Assert.Equal("is required: a list of {\"name\", \"content\"} project files", (string)empty["errors"]!["files"]![0]!);
        Assert.Empty((await client.GetJsonAsync("/api/groups"))["items"]!.AsArray());
    }
}
