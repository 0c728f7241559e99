using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipekit.Core.Configuration;
using Pipekit.Core.Notifications;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Validation;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Notifications;

/// <summary>
/// The notifier end to end against a real state store (SQLite and PostgreSQL), a local HTTP listener as the webhook and
/// a local SMTP listener as the mail server.
/// </summary>
public abstract class NotifierFacts(TestStateStore state) : IAsyncLifetime
{
    private const string HookSecret = "hook-signing-secret-4711";
    private const string SmtpPassword = "smtp-pa55word-never-shown";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _home = new();
    private readonly WebhookReceiver _hook = new();
    private readonly SmtpReceiver _smtp = new();
    private readonly LogCapture _logs = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private TestStateLocation? _location;
    private SecretStore _secrets = null!;
    private ILoggerFactory _loggers = null!;

    public async Task InitializeAsync()
    {
        var secretsPath = Path.Combine(_home.Path, "secrets.toml");
        await File.WriteAllTextAsync(secretsPath, $"[global]\nhook_secret = \"{HookSecret}\"\nsmtp_password = \"{SmtpPassword}\"\n");
        _secrets = await SecretStore.LoadAsync(secretsPath, CancellationToken.None);
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _location = await state.LocationAsync(_home.Path);
        await Store().InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_location is not null) await _location.DisposeAsync();
        _hook.Dispose();
        _smtp.Dispose();
        _loggers.Dispose();
        _home.Dispose();
    }

    private StateStore Store() => _location!.Open(Migrator.ForParts([StatePart.Core], state.Kind, _clock));

    private NotificationChannel Webhook => new() { Name = "hook", Kind = NotificationChannel.Webhook, Url = _hook.Url, Secret = "$hook_secret", Source = "config" };

    private NotificationChannel Email => new()
    {
        Name = "mail", Kind = NotificationChannel.Email, SmtpHost = "127.0.0.1", SmtpPort = _smtp.Port, Security = "none", Username = "pipekit",
        Password = "$smtp_password", From = "pipekit@example.com", To = ["oncall@example.com"], Source = "config",
    };

    private sealed record Kit(Notifier Notifier, NotificationEditor Editor, NotificationRepository Repository, NotificationSettings Settings, NotificationDelivery Delivery)
        : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Notifier.DisposeAsync();
    }

    private Kit NewKit(NotificationsOptions? options = null)
    {
        var config = new PipekitConfig { Notifications = options ?? new NotificationsOptions { ChannelList = [Webhook] } };
        var repository = new NotificationRepository(Store(), _clock);
        var settings = new NotificationSettings(repository, config);
        var redactor = Redactor.FromStore(_secrets);
        var delivery = new NotificationDelivery(new WebhookSender(new HttpClient(), TimeProvider.System, _loggers.CreateLogger<WebhookSender>()),
            _secrets, redactor, TimeProvider.System, _loggers.CreateLogger<NotificationDelivery>());
        return new Kit(new Notifier(repository, settings, delivery, redactor, _loggers.CreateLogger<Notifier>()),
            new NotificationEditor(repository, settings, delivery, _clock), repository, settings, delivery);
    }

    private static RunNotice Notice(NoticeStatus status, long runId, double seconds = 2, string kind = "module", string name = "orders", string? error = null) => new()
    {
        TargetKind = kind, TargetName = name, RunId = runId, Status = status, StatusText = status == NoticeStatus.Failure ? "error" : status.ToString().ToLowerInvariant(),
        Error = error ?? (status == NoticeStatus.Failure ? "relation \"orders\" does not exist\nLINE 1: SELECT ..." : null), RowCount = 42,
        StartedAt = Start.AddMinutes(runId), FinishedAt = Start.AddMinutes(runId).AddSeconds(seconds), RunPath = $"/runs/{runId}",
    };

    private static async Task PublishAsync(Kit kit, params RunNotice[] notices)
    {
        foreach (var notice in notices) kit.Notifier.Publish(_ => Task.FromResult<RunNotice?>(notice));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await kit.Notifier.WaitIdleAsync(timeout.Token);
    }

    // Deliveries run in the background and may arrive in any order: the bodies are listed by run id.
    private List<JsonElement> Bodies() => _hook.Received.Select(r => JsonDocument.Parse(r.Body).RootElement)
        .OrderBy(b => b.TryGetProperty("run_id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : 0).ToList();

    [Fact]
    public async Task A_failed_run_posts_a_signed_message_that_verifies_with_the_secret()
    {
        await using var kit = NewKit();
        await PublishAsync(kit, Notice(NoticeStatus.Failure, 7));

        var (signature, body) = Assert.Single(_hook.Received);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HookSecret), body));
        Assert.Equal(expected, signature);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("failure", json.GetProperty("event").GetString());
        Assert.Equal("module", json.GetProperty("target_kind").GetString());
        Assert.Equal("orders", json.GetProperty("target_name").GetString());
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal("relation \"orders\" does not exist", json.GetProperty("error").GetString());
        Assert.Equal(42, json.GetProperty("row_count").GetInt64());
        Assert.Equal(2, json.GetProperty("duration_seconds").GetDouble());
        Assert.Equal("http://127.0.0.1:8080/runs/7", json.GetProperty("link").GetString());
    }

    [Fact]
    public async Task On_failure_sends_every_failure_and_no_success()
    {
        await using var kit = NewKit();
        await PublishAsync(kit, Notice(NoticeStatus.Success, 1), Notice(NoticeStatus.Failure, 2), Notice(NoticeStatus.Failure, 3), Notice(NoticeStatus.Success, 4));
        Assert.Equal([2L, 3L], Bodies().Select(b => b.GetProperty("run_id").GetInt64()));
    }

    [Fact]
    public async Task On_recovery_sends_only_the_first_success_after_a_failure()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Webhook], On = ["recovery"] });
        await PublishAsync(kit, Notice(NoticeStatus.Success, 1), Notice(NoticeStatus.Failure, 2), Notice(NoticeStatus.Cancelled, 3),
            Notice(NoticeStatus.Success, 4), Notice(NoticeStatus.Success, 5));
        var body = Assert.Single(Bodies());
        Assert.Equal(4, body.GetProperty("run_id").GetInt64());
        Assert.Equal("recovery", body.GetProperty("event").GetString());
    }

    [Fact]
    public async Task Always_sends_every_end_and_a_target_rule_replaces_the_global_one()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Webhook], On = [] });
        await kit.Editor.SetRuleAsync(new NotificationRule { TargetKind = "group", TargetName = "nightly", On = ["always"] }, CancellationToken.None);
        await PublishAsync(kit, Notice(NoticeStatus.Failure, 1), Notice(NoticeStatus.Success, 2, kind: "group", name: "nightly"),
            Notice(NoticeStatus.Cancelled, 3, kind: "group", name: "nightly"), Notice(NoticeStatus.Failure, 4, kind: "group", name: "nightly"));
        Assert.Equal(["success", "cancelled", "failure"], Bodies().Select(b => b.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task A_group_notice_is_one_message_listing_every_failed_member()
    {
        await using var kit = NewKit();
        await PublishAsync(kit, Notice(NoticeStatus.Failure, 9, kind: "group", name: "nightly") with
        {
            RunPath = "/group-runs/9",
            FailedMembers = [new NoticeMember("orders", 21, "timeout\nat line 3"), new NoticeMember("customers", 23, "deadlock")],
        });
        var body = Assert.Single(Bodies());
        Assert.Equal(["orders", "customers"], body.GetProperty("failed_members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("timeout", body.GetProperty("failed_members")[0].GetProperty("error").GetString());
        Assert.EndsWith("/group-runs/9", body.GetProperty("link").GetString());
    }

    [Fact]
    public async Task An_email_goes_through_smtp_with_the_password_from_secrets()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Email] });
        await PublishAsync(kit, Notice(NoticeStatus.Failure, 5));

        var (user, password) = Assert.Single(_smtp.Logins);
        Assert.Equal("pipekit", user);
        Assert.Equal(SmtpPassword, password);
        var message = Assert.Single(_smtp.Messages);
        Assert.Contains("Subject: [pipekit] module orders error", message);
        Assert.Contains("error: relation \"orders\" does not exist", message);
        Assert.Contains("rows: 42", message);
        Assert.Contains("http://127.0.0.1:8080/runs/5", message);
        Assert.DoesNotContain(SmtpPassword, _logs.All);
    }

    [Fact]
    public async Task A_refused_smtp_login_is_logged_without_the_password_and_the_test_says_why()
    {
        _smtp.RefuseLogin = true;
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Email] });
        var error = await kit.Editor.TestAsync("mail", CancellationToken.None);

        Assert.NotNull(error);
        Assert.Contains("refused", error);
        Assert.DoesNotContain(SmtpPassword, error);
        Assert.Contains("not delivered", _logs.All);
        Assert.DoesNotContain(SmtpPassword, _logs.All);
    }

    [Fact]
    public async Task A_webhook_that_answers_500_is_retried_and_then_logged_and_the_run_goes_on()
    {
        _hook.Status = 500;
        await using var kit = NewKit();
        await PublishAsync(kit, Notice(NoticeStatus.Failure, 1));
        Assert.Equal(WebhookSender.Attempts, _hook.Received.Count);
        Assert.Contains("not delivered", _logs.All);
        Assert.DoesNotContain(HookSecret, _logs.All);
    }

    [Fact]
    public async Task A_run_over_the_long_factor_times_the_median_sends_a_long_message()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Webhook], On = [], LongFactor = 3 });
        await PublishAsync(kit, Notice(NoticeStatus.Success, 1, 10), Notice(NoticeStatus.Success, 2, 12), Notice(NoticeStatus.Success, 3, 8),
            Notice(NoticeStatus.Success, 4, 11), Notice(NoticeStatus.Success, 5, 40));
        var body = Assert.Single(Bodies());
        Assert.Equal("long", body.GetProperty("event").GetString());
        Assert.Equal(5, body.GetProperty("run_id").GetInt64());
        Assert.Equal(10.5, body.GetProperty("median_seconds").GetDouble());
    }

    [Fact]
    public async Task A_scheduled_group_not_finished_by_its_deadline_sends_one_late_message()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Webhook], On = [] });
        await kit.Editor.SetRuleAsync(new NotificationRule { TargetKind = "group", TargetName = "nightly", On = [], LateAfter = TimeSpan.FromMinutes(30) },
            CancellationToken.None);
        var schedules = new ScheduleRepository(Store(), _clock);
        var schedule = await schedules.AddAsync(new Schedule { TargetKind = "group", TargetId = 7, CronExpr = "0 9 * * *" }, CancellationToken.None);
        await schedules.TryMarkFiredAsync(schedule.Id, null, Start, null, CancellationToken.None);
        var watch = new LateWatch(schedules, new ScheduleTargets([new NamedTarget()]), kit.Repository, kit.Settings, kit.Notifier, _clock,
            _loggers.CreateLogger<LateWatch>());

        _clock.SetUtcNow(Start.AddMinutes(29));
        Assert.Equal(0, await watch.CheckAsync(CancellationToken.None));
        _clock.SetUtcNow(Start.AddMinutes(31));
        Assert.Equal(1, await watch.CheckAsync(CancellationToken.None));
        Assert.Equal(0, await watch.CheckAsync(CancellationToken.None));
        await kit.Notifier.WaitIdleAsync(CancellationToken.None);

        var body = Assert.Single(Bodies());
        Assert.Equal("late", body.GetProperty("event").GetString());
        Assert.Equal("nightly", body.GetProperty("target_name").GetString());
    }

    [Fact]
    public async Task A_scheduled_group_that_finished_in_time_sends_no_late_message()
    {
        await using var kit = NewKit(new NotificationsOptions { ChannelList = [Webhook], On = [], LateAfter = TimeSpan.FromMinutes(30) });
        var schedules = new ScheduleRepository(Store(), _clock);
        var schedule = await schedules.AddAsync(new Schedule { TargetKind = "group", TargetId = 7, CronExpr = "0 9 * * *" }, CancellationToken.None);
        await schedules.TryMarkFiredAsync(schedule.Id, null, Start, null, CancellationToken.None);
        await PublishAsync(kit, Notice(NoticeStatus.Success, 1, kind: "group", name: "nightly"));
        var watch = new LateWatch(schedules, new ScheduleTargets([new NamedTarget()]), kit.Repository, kit.Settings, kit.Notifier, _clock,
            _loggers.CreateLogger<LateWatch>());
        _clock.SetUtcNow(Start.AddHours(2));
        Assert.Equal(0, await watch.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_channel_with_a_literal_password_is_refused_naming_the_key_and_nothing_is_stored()
    {
        await using var kit = NewKit();
        var ex = await Assert.ThrowsAsync<ValidationException>(() => kit.Editor.AddChannelAsync(
            Email with { Name = "mail2", Password = SmtpPassword, Source = "api" }, CancellationToken.None));
        Assert.Equal("password", Assert.Single(ex.Errors).Key);
        Assert.DoesNotContain(SmtpPassword, ex.Message);
        Assert.Empty(await kit.Repository.ListChannelsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Channels_added_through_the_editor_are_stored_and_a_rule_naming_an_unknown_channel_is_refused()
    {
        await using var kit = NewKit();
        await kit.Editor.AddChannelAsync(Email with { Source = "api" }, CancellationToken.None);
        Assert.Equal(["hook", "mail"], (await kit.Editor.ListChannelsAsync(CancellationToken.None)).Select(c => c.Name));
        var ex = await Assert.ThrowsAsync<ValidationException>(() => kit.Editor.SetRuleAsync(
            new NotificationRule { TargetKind = "module", TargetName = "orders", Channels = ["pager"] }, CancellationToken.None));
        Assert.Equal("channels", Assert.Single(ex.Errors).Key);
        await Assert.ThrowsAsync<Errors.CannotDoHereException>(() => kit.Editor.RemoveChannelAsync("hook", CancellationToken.None));
        await kit.Editor.RemoveChannelAsync("mail", CancellationToken.None);
        Assert.Equal(["hook"], (await kit.Editor.ListChannelsAsync(CancellationToken.None)).Select(c => c.Name));
    }

    private sealed class NamedTarget : IScheduleTarget
    {
        public string Kind => "group";

        public Task<string?> FindNameAsync(long targetId, CancellationToken cancellationToken) => Task.FromResult(targetId == 7 ? "nightly" : null);

        public Task<long> StartScheduledRunAsync(long targetId, string triggeredBy, CancellationToken cancellationToken) => Task.FromResult(1L);
    }

    public sealed class OnSqlite() : NotifierFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : NotifierFacts(TestStateStore.Postgres(postgres));
}
