using System.Data.Common;
using Pipekit.Core.State;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Notifications;

/// <summary>
/// The notification tables: channels added through the API, rules, the run outcomes the notifier saw and the late
/// alerts already sent. Secrets never reach these tables; channels hold <c>$NAME</c> references.
/// </summary>
public sealed class NotificationRepository(StateStore store, TimeProvider time)
{
    // Both column lists are read by ordinal (ReadChannel, ReadRule): keep them in the same order.
    private const string SelectChannel =
        """
        SELECT id, name, kind, url, secret, smtp_host, smtp_port, security, username, password, sender, recipients
        FROM notification_channel
        """;

    private const string SelectRule =
        """
        SELECT id, target_kind, target_name, on_status, channels, late_after_seconds, long_factor
        FROM notification_rule
        """;

    public async Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.RowsAsync($"{SelectChannel} ORDER BY name", null, ReadChannel, null, cancellationToken);
    }

    /// <summary>Inserts a channel the caller has validated; a name already stored is a validation error on <c>name</c>.</summary>
    public async Task<NotificationChannel> AddChannelAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(time.GetUtcNow());
        await using var c = await store.OpenAsync(cancellationToken);
        try
        {
            var id = await c.Int64Async(
                """
                INSERT INTO notification_channel (name, kind, url, secret, smtp_host, smtp_port, security, username, password, sender, recipients, created_at, updated_at)
                VALUES (@Name, @Kind, @Url, @Secret, @SmtpHost, @SmtpPort, @Security, @Username, @Password, @From, @Recipients, @now, @now) RETURNING id
                """,
                new StateArgs
                {
                    { "Name", channel.Name }, { "Kind", channel.Kind }, { "Url", channel.Url }, { "Secret", channel.Secret }, { "SmtpHost", channel.SmtpHost },
                    { "SmtpPort", channel.Kind == NotificationChannel.Email ? channel.SmtpPort : null },
                    { "Security", channel.Kind == NotificationChannel.Email ? channel.Security : null },
                    { "Username", channel.Username }, { "Password", channel.Password }, { "From", channel.From },
                    { "Recipients", channel.To.Count == 0 ? null : string.Join(",", channel.To) }, { "now", now },
                }, null, cancellationToken) ?? throw new InvalidOperationException("INSERT … RETURNING id returned no row");
            return channel with { Id = id, Source = "api" };
        }
        catch (DbException ex) when (store.IsUniqueViolation(ex, "notification_channel"))
        {
            throw new ValidationException("name", $"a channel named '{channel.Name}' exists already; remove it first or pick another name");
        }
    }

    public async Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecAsync("DELETE FROM notification_channel WHERE name = @name", new StateArgs { { "name", name } }, null, cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<NotificationRule>> ListRulesAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.RowsAsync($"{SelectRule} ORDER BY target_kind, target_name", null, ReadRule, null, cancellationToken);
    }

    /// <summary>Creates the rule of its target, or replaces the one there is (a target has one rule).</summary>
    public async Task<NotificationRule> SetRuleAsync(NotificationRule rule, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(time.GetUtcNow());
        var values = new StateArgs
        {
            { "TargetKind", rule.TargetKind }, { "TargetName", rule.TargetName }, { "OnStatus", string.Join(",", rule.On) },
            { "Channels", string.Join(",", rule.Channels) }, { "LateAfterSeconds", rule.LateAfter is { } late ? (long)late.TotalSeconds : null },
            { "LongFactor", rule.LongFactor }, { "now", now },
        };
        return await store.WriteAsync(async (c, tx) =>
        {
            // Insert-or-update in two statements both stores run the same way; the write transaction makes them one.
            var updated = await c.ExecAsync(
                """
                UPDATE notification_rule SET on_status = @OnStatus, channels = @Channels, late_after_seconds = @LateAfterSeconds,
                    long_factor = @LongFactor, updated_at = @now
                WHERE target_kind = @TargetKind AND target_name = @TargetName
                """, values, tx, cancellationToken);
            if (updated == 0)
                await c.ExecAsync(
                    """
                    INSERT INTO notification_rule (target_kind, target_name, on_status, channels, late_after_seconds, long_factor, created_at, updated_at)
                    VALUES (@TargetKind, @TargetName, @OnStatus, @Channels, @LateAfterSeconds, @LongFactor, @now, @now)
                    """, values, tx, cancellationToken);
            return await c.RowAsync($"{SelectRule} WHERE target_kind = @TargetKind AND target_name = @TargetName", values, ReadRule, tx, cancellationToken)
                ?? throw new InvalidOperationException($"the rule of {rule.TargetKind} '{rule.TargetName}' vanished inside its own write transaction");
        }, cancellationToken);
    }

    public async Task<bool> RemoveRuleAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecAsync("DELETE FROM notification_rule WHERE id = @id", new StateArgs { { "id", id } }, null, cancellationToken) > 0;
    }

    /// <summary>The outcome of the target's latest recorded run that succeeded or failed (cancelled runs are passed over).</summary>
    public async Task<NoticeStatus?> LastOutcomeAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var status = await c.TextAsync(
            "SELECT status FROM notification_run WHERE target_kind = @kind AND target_name = @name AND status <> 'cancelled' ORDER BY id DESC LIMIT 1",
            new StateArgs { { "kind", kind }, { "name", name } }, null, cancellationToken);
        return status switch { "success" => NoticeStatus.Success, "failure" => NoticeStatus.Failure, _ => null };
    }

    /// <summary>The durations in milliseconds of the target's last <paramref name="count"/> successful runs, newest first.</summary>
    public async Task<IReadOnlyList<long>> RecentDurationsAsync(string kind, string name, int count, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.RowsAsync(
            "SELECT duration_ms FROM notification_run WHERE target_kind = @kind AND target_name = @name AND status = 'success' ORDER BY id DESC LIMIT @count",
            new StateArgs { { "kind", kind }, { "name", name }, { "count", count } }, r => r.GetInt64(0), null, cancellationToken);
    }

    public async Task RecordRunAsync(RunNotice notice, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecAsync(
            """
            INSERT INTO notification_run (target_kind, target_name, run_id, status, duration_ms, finished_at)
            VALUES (@TargetKind, @TargetName, @RunId, @status, @duration, @finished)
            """,
            new StateArgs
            {
                { "TargetKind", notice.TargetKind }, { "TargetName", notice.TargetName }, { "RunId", notice.RunId },
                { "status", notice.Status.ToString().ToLowerInvariant() }, { "duration", (long)Math.Max(0, notice.Duration.TotalMilliseconds) },
                { "finished", StateClock.Format(notice.FinishedAt) },
            }, null, cancellationToken);
    }

    /// <summary>True when a run of the target finished at or after <paramref name="since"/>.</summary>
    public async Task<bool> FinishedSinceAsync(string kind, string name, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.Int64Async(
            "SELECT count(*) FROM notification_run WHERE target_kind = @kind AND target_name = @name AND finished_at >= @since",
            new StateArgs { { "kind", kind }, { "name", name }, { "since", StateClock.Format(since) } }, null, cancellationToken) > 0;
    }

    /// <summary>Claims the late alert of one schedule fire; only the first caller (of any node) gets true.</summary>
    public async Task<bool> TryClaimLateAsync(long scheduleId, DateTimeOffset firedAt, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecAsync(
            "INSERT INTO notification_late (schedule_id, fired_at, sent_at) VALUES (@scheduleId, @fired, @now) ON CONFLICT DO NOTHING",
            new StateArgs { { "scheduleId", scheduleId }, { "fired", StateClock.Format(firedAt) }, { "now", StateClock.Format(time.GetUtcNow()) } },
            null, cancellationToken) == 1;
    }

    // The columns of SelectChannel, in its order.
    private static NotificationChannel ReadChannel(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Name = r.GetString(1), Kind = r.GetString(2), Source = "api", Url = r.TextOrNull(3), Secret = r.TextOrNull(4),
        SmtpHost = r.TextOrNull(5), SmtpPort = (int)(r.Int64OrNull(6) ?? 587), Security = r.TextOrNull(7) ?? "starttls", Username = r.TextOrNull(8),
        Password = r.TextOrNull(9), From = r.TextOrNull(10),
        To = r.TextOrNull(11) is { } recipients ? recipients.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
    };

    // The columns of SelectRule, in its order.
    private static NotificationRule ReadRule(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), TargetKind = r.GetString(1), TargetName = r.GetString(2),
        On = r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
        Channels = r.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries),
        LateAfter = r.Int64OrNull(5) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        LongFactor = r.DoubleOrNull(6),
    };
}
