using System.Data.Common;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Notifications;

/// <summary>
/// The notification tables: channels added through the API, rules, the run outcomes the notifier saw and the late
/// alerts already sent. Secrets never reach these tables; channels hold <c>$NAME</c> references.
/// </summary>
public sealed class NotificationRepository(StateStore store, TimeProvider time)
{
    private const string SelectChannel =
        """
        SELECT id AS Id, name AS Name, kind AS Kind, url AS Url, secret AS Secret, smtp_host AS SmtpHost, smtp_port AS SmtpPort,
               security AS Security, username AS Username, password AS Password, sender AS Sender, recipients AS Recipients
        FROM notification_channel
        """;

    private const string SelectRule =
        """
        SELECT id AS Id, target_kind AS TargetKind, target_name AS TargetName, on_status AS OnStatus, channels AS Channels,
               late_after_seconds AS LateAfterSeconds, long_factor AS LongFactor
        FROM notification_rule
        """;

    public async Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<ChannelRow>(new CommandDefinition($"{SelectChannel} ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToChannel()).ToList();
    }

    /// <summary>Inserts a channel the caller has validated; a name already stored is a validation error on <c>name</c>.</summary>
    public async Task<NotificationChannel> AddChannelAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(time.GetUtcNow());
        await using var c = await store.OpenAsync(cancellationToken);
        try
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO notification_channel (name, kind, url, secret, smtp_host, smtp_port, security, username, password, sender, recipients, created_at, updated_at)
                VALUES (@Name, @Kind, @Url, @Secret, @SmtpHost, @SmtpPort, @Security, @Username, @Password, @From, @Recipients, @now, @now) RETURNING id
                """,
                new
                {
                    channel.Name, channel.Kind, channel.Url, channel.Secret, channel.SmtpHost,
                    SmtpPort = channel.Kind == NotificationChannel.Email ? (long?)channel.SmtpPort : null,
                    Security = channel.Kind == NotificationChannel.Email ? channel.Security : null,
                    channel.Username, channel.Password, channel.From,
                    Recipients = channel.To.Count == 0 ? null : string.Join(",", channel.To), now,
                }, cancellationToken: cancellationToken));
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
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM notification_channel WHERE name = @name", new { name }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<NotificationRule>> ListRulesAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<RuleRow>(new CommandDefinition($"{SelectRule} ORDER BY target_kind, target_name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRule()).ToList();
    }

    /// <summary>Creates the rule of its target, or replaces the one there is (a target has one rule).</summary>
    public async Task<NotificationRule> SetRuleAsync(NotificationRule rule, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(time.GetUtcNow());
        var values = new
        {
            rule.TargetKind, rule.TargetName, OnStatus = string.Join(",", rule.On), Channels = string.Join(",", rule.Channels),
            LateAfterSeconds = rule.LateAfter is { } late ? (long?)(long)late.TotalSeconds : null, rule.LongFactor, now,
        };
        return await store.WriteAsync(async (c, tx) =>
        {
            // Insert-or-update in two statements both stores run the same way; the write transaction makes them one.
            var updated = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE notification_rule SET on_status = @OnStatus, channels = @Channels, late_after_seconds = @LateAfterSeconds,
                    long_factor = @LongFactor, updated_at = @now
                WHERE target_kind = @TargetKind AND target_name = @TargetName
                """, values, tx, cancellationToken: cancellationToken));
            if (updated == 0)
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO notification_rule (target_kind, target_name, on_status, channels, late_after_seconds, long_factor, created_at, updated_at)
                    VALUES (@TargetKind, @TargetName, @OnStatus, @Channels, @LateAfterSeconds, @LongFactor, @now, @now)
                    """, values, tx, cancellationToken: cancellationToken));
            var row = await c.QuerySingleAsync<RuleRow>(new CommandDefinition(
                $"{SelectRule} WHERE target_kind = @TargetKind AND target_name = @TargetName", values, tx, cancellationToken: cancellationToken));
            return row.ToRule();
        }, cancellationToken);
    }

    public async Task<bool> RemoveRuleAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM notification_rule WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The outcome of the target's latest recorded run that succeeded or failed (cancelled runs are passed over).</summary>
    public async Task<NoticeStatus?> LastOutcomeAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var status = await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT status FROM notification_run WHERE target_kind = @kind AND target_name = @name AND status <> 'cancelled' ORDER BY id DESC LIMIT 1",
            new { kind, name }, cancellationToken: cancellationToken));
        return status switch { "success" => NoticeStatus.Success, "failure" => NoticeStatus.Failure, _ => null };
    }

    /// <summary>The durations in milliseconds of the target's last <paramref name="count"/> successful runs, newest first.</summary>
    public async Task<IReadOnlyList<long>> RecentDurationsAsync(string kind, string name, int count, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<long>(new CommandDefinition(
            "SELECT duration_ms FROM notification_run WHERE target_kind = @kind AND target_name = @name AND status = 'success' ORDER BY id DESC LIMIT @count",
            new { kind, name, count = (long)count }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task RecordRunAsync(RunNotice notice, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_run (target_kind, target_name, run_id, status, duration_ms, finished_at)
            VALUES (@TargetKind, @TargetName, @RunId, @status, @duration, @finished)
            """,
            new
            {
                notice.TargetKind, notice.TargetName, notice.RunId, status = notice.Status.ToString().ToLowerInvariant(),
                duration = (long)Math.Max(0, notice.Duration.TotalMilliseconds), finished = StateClock.Format(notice.FinishedAt),
            }, cancellationToken: cancellationToken));
    }

    /// <summary>True when a run of the target finished at or after <paramref name="since"/>.</summary>
    public async Task<bool> FinishedSinceAsync(string kind, string name, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM notification_run WHERE target_kind = @kind AND target_name = @name AND finished_at >= @since",
            new { kind, name, since = StateClock.Format(since) }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Claims the late alert of one schedule fire; only the first caller (of any node) gets true.</summary>
    public async Task<bool> TryClaimLateAsync(long scheduleId, DateTimeOffset firedAt, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO notification_late (schedule_id, fired_at, sent_at) VALUES (@scheduleId, @fired, @now) ON CONFLICT DO NOTHING",
            new { scheduleId, fired = StateClock.Format(firedAt), now = StateClock.Format(time.GetUtcNow()) }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed class ChannelRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Url { get; init; }
        public string? Secret { get; init; }
        public string? SmtpHost { get; init; }
        public long? SmtpPort { get; init; }
        public string? Security { get; init; }
        public string? Username { get; init; }
        public string? Password { get; init; }
        public string? Sender { get; init; }
        public string? Recipients { get; init; }

        public NotificationChannel ToChannel() => new()
        {
            Id = Id, Name = Name, Kind = Kind, Source = "api", Url = Url, Secret = Secret, SmtpHost = SmtpHost,
            SmtpPort = (int)(SmtpPort ?? 587), Security = Security ?? "starttls", Username = Username, Password = Password, From = Sender,
            To = Recipients is null ? [] : Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    private sealed class RuleRow
    {
        public long Id { get; init; }
        public string TargetKind { get; init; } = "";
        public string TargetName { get; init; } = "";
        public string OnStatus { get; init; } = "";
        public string Channels { get; init; } = "";
        public long? LateAfterSeconds { get; init; }
        public double? LongFactor { get; init; }

        public NotificationRule ToRule() => new()
        {
            Id = Id, TargetKind = TargetKind, TargetName = TargetName,
            On = OnStatus.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Channels = Channels.Split(',', StringSplitOptions.RemoveEmptyEntries),
            LateAfter = LateAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            LongFactor = LongFactor,
        };
    }
}
