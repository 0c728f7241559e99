using System.Net;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public sealed class SchedulesApiFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Schedules_can_be_created_read_updated_and_deleted_with_their_next_fire_time()
    {
        var client = _app.Client();
        var groupId = (long)(await client.PostJsonAsync("/api/groups", new { name = "g" }, HttpStatusCode.Created))["id"]!;
        var created = await client.PostJsonAsync("/api/schedules", new { group_id = groupId, cron_expr = "0 20 2 * * *", timezone = "Europe/London" },
            HttpStatusCode.Created);
        var id = (long)created["id"]!;
        Assert.Equal("Europe/London", (string)created["timezone"]!);
        var next = DateTimeOffset.Parse((string)created["next_fire_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var london = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Assert.Equal(new TimeSpan(2, 20, 0), london.TimeOfDay);

        var disabled = await client.PostJsonAsync($"/api/schedules/{id}", new { enabled = false });
        Assert.False((bool)disabled["enabled"]!);
        Assert.Null(disabled["next_fire_at"]);
        Assert.Single((await client.GetJsonAsync($"/api/schedules?group_id={groupId}&enabled=false"))["items"]!.AsArray());
        Assert.Equal(id, (long)(await client.GetJsonAsync($"/api/schedules/{id}"))["id"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/schedules/{id}/delete")).StatusCode);
        await (await client.GetAsync($"/api/schedules/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/schedules/{id}", new { enabled = true })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/schedules/{id}/delete")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("61 * * * *", "minute")]
    [InlineData("0 25 * * *", "hour")]
    [InlineData("0 0 2 * 13 *", "month")]
    [InlineData("0 0 * * * * *", "7 field(s)")]
    public async Task An_invalid_cron_expression_is_a_400_that_names_the_field(string cron, string named)
    {
        var client = _app.Client();
        var groupId = (long)(await client.PostJsonAsync("/api/groups", new { name = "g" }, HttpStatusCode.Created))["id"]!;
        var problem = await (await client.PostAsync("/api/schedules", new { group_id = groupId, cron_expr = cron })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(named, (string)problem["errors"]!["cron_expr"]![0]!);
    }

    [Fact]
    public async Task An_unknown_zone_or_group_is_a_400()
    {
        var client = _app.Client();
        var groupId = (long)(await client.PostJsonAsync("/api/groups", new { name = "g" }, HttpStatusCode.Created))["id"]!;
        var zone = await (await client.PostAsync("/api/schedules", new { group_id = groupId, cron_expr = "* * * * *", timezone = "Mars/Olympus" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(zone["errors"]!["timezone"]);
        var group = await (await client.PostAsync("/api/schedules", new { group_id = 999, cron_expr = "* * * * *" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("group 999 does not exist", (string)group["errors"]!["target_id"]![0]!);
    }
}
