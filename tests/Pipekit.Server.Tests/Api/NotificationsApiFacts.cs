using System.Net;
using System.Text.Json;
using Pipekit.Server.Tests.Hostile;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// <c>/api/notifications</c> end to end: channels and rules through the API, test messages to a local HTTP and a local SMTP
/// listener, and a failed group run that sends one message listing its failed members.
/// </summary>
public abstract class NotificationsApiFacts : IDisposable
{
    private const string HookSecret = "hook-secret-value-0815";
    private const string SmtpPassword = "smtp-password-value-0815";
    private readonly CapturedLog _log = new();
    private readonly PipekitApp _app;
    private readonly WebhookReceiver _hook = new();
    private readonly SmtpReceiver _smtp = new();

    protected NotificationsApiFacts(TestStateStore store) =>
        _app = new PipekitApp(store: store, log: _log, secrets: new Dictionary<string, string> { ["hook_secret"] = HookSecret, ["smtp_password"] = SmtpPassword });

    public void Dispose()
    {
        _app.Dispose();
        _hook.Dispose();
        _smtp.Dispose();
    }

    [Fact]
    public async Task Channels_and_rules_are_managed_through_the_api_and_secrets_never_appear_in_answers_or_logs()
    {
        var client = _app.Client();
        await client.PostJsonAsync("/api/notifications/channels", new { name = "hook", type = "webhook", url = _hook.Url, secret = "$hook_secret" }, HttpStatusCode.Created);
        var mail = await client.PostJsonAsync("/api/notifications/channels", new
        {
            name = "mail", type = "email", host = "127.0.0.1", port = _smtp.Port, security = "none", username = "pipekit", password = "$smtp_password",
            from = "pipekit@example.com", to = new[] { "oncall@example.com" },
        }, HttpStatusCode.Created);
        Assert.Equal("$smtp_password", (string)mail["password"]!);

        var literal = await (await client.PostAsync("/api/notifications/channels", new
        {
            name = "mail2", type = "email", host = "127.0.0.1", username = "u", password = SmtpPassword, from = "p@example.com", to = new[] { "a@example.com" },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(literal["errors"]!["password"]);
        Assert.DoesNotContain(SmtpPassword, literal.ToJsonString());

        var test = await client.PostJsonAsync("/api/notifications/channels/mail/test");
        Assert.True((bool)test["delivered"]!);
        Assert.Equal(SmtpPassword, Assert.Single(_smtp.Logins).Password);
        Assert.True((bool)(await client.PostJsonAsync("/api/notifications/channels/hook/test"))["delivered"]!);
        Assert.Single(_hook.Received);

        var rule = await client.PostJsonAsync("/api/notifications/rules", new { target_kind = "group", target = "nightly", on = new[] { "failure", "recovery" },
            channels = new[] { "hook" }, late_after = "2h", long_factor = 3 });
        Assert.Equal("2h", (string)rule["late_after"]!);
        var badRule = await (await client.PostAsync("/api/notifications/rules", new { target_kind = "group", target = "nightly", on = new[] { "sometimes" } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badRule["errors"]!["on"]);

        var channels = await client.GetJsonAsync("/api/notifications/channels");
        var rules = await client.GetJsonAsync("/api/notifications/rules");
        Assert.Equal(["hook", "mail"], channels["items"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(["global", "group"], rules["items"]!.AsArray().Select(r => (string)r!["target_kind"]!));
        foreach (var text in new[] { channels.ToJsonString(), rules.ToJsonString(), string.Join("\n", _log.Lines) })
        {
            Assert.DoesNotContain(SmtpPassword, text);
            Assert.DoesNotContain(HookSecret, text);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/notifications/rules/{(long)rule["id"]!}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/notifications/channels/mail/delete")).StatusCode);
        await (await client.PostAsync("/api/notifications/channels/mail/delete")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/notifications/channels/nope/test")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_failed_group_run_sends_one_message_listing_its_failed_members()
    {
        var client = _app.Client();
        await client.PostJsonAsync("/api/notifications/channels", new { name = "hook", type = "webhook", url = _hook.Url, secret = "$hook_secret" }, HttpStatusCode.Created);
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var a = await client.CreateOrdersModuleAsync(source, dest, "a", "ta");
        var b = await client.CreateOrdersModuleAsync(source, dest, "b", "tb", "SELECT id, customer, amount FROM orders_missing");
        var c = await client.CreateOrdersModuleAsync(source, dest, "c", "tc", "SELECT id, customer, amount FROM orders_gone");
        var groupId = (long)(await client.PostJsonAsync("/api/groups",
            new { name = "nightly", members = new[] { new { module_id = a }, new { module_id = b }, new { module_id = c } } }, HttpStatusCode.Created))["id"]!;

        var run = await client.WaitForGroupRunAsync((long)(await client.PostJsonAsync($"/api/groups/{groupId}/run", null, HttpStatusCode.Accepted))["group_run_id"]!);
        Assert.Equal("error", (string)run["status"]!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.Service<Core.Notifications.Notifier>().WaitIdleAsync(timeout.Token);

        var (_, body) = Assert.Single(_hook.Received);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("group", json.GetProperty("target_kind").GetString());
        Assert.Equal("nightly", json.GetProperty("target_name").GetString());
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(["b", "c"], json.GetProperty("failed_members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Contains("orders_missing", json.GetProperty("failed_members")[0].GetProperty("error").GetString());
        Assert.EndsWith($"/group-runs/{(long)run["id"]!}", json.GetProperty("link").GetString());
    }

    public sealed class OnSqlite() : NotificationsApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : NotificationsApiFacts(TestStateStore.Postgres(postgres));
}
