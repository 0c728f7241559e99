using System.Globalization;
using System.Text;

namespace Pipekit.Core.Notifications;

/// <summary>
/// One notification: what happened (<see cref="Event"/>: <c>failure</c>, <c>recovery</c>, <c>success</c>,
/// <c>cancelled</c>, <c>late</c>, <c>long</c> or <c>test</c>) to which module, group or pipeline, with the status, the
/// first line of the error, the row count, the duration and a link to the run page. A webhook receives it as JSON; an
/// email carries <see cref="Subject"/> and <see cref="Body"/>.
/// </summary>
public sealed record NotificationMessage
{
    public required string Event { get; init; }

    public required string TargetKind { get; init; }

    public required string TargetName { get; init; }

    public long? RunId { get; init; }

    public required string Status { get; init; }

    /// <summary>The first line of the error, redacted.</summary>
    public string? Error { get; init; }

    public long? RowCount { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>The median duration of the last successful runs, for a <c>long</c> message.</summary>
    public double? MedianSeconds { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the schedule fired, for a <c>late</c> message.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>The absolute URL of the run page (or of the target's page, when no run is known).</summary>
    public string? Link { get; init; }

    public IReadOnlyList<NoticeMember> FailedMembers { get; init; } = [];

    /// <summary>The text before the first line break, or null for nothing.</summary>
    public static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }

    public string Subject => Event switch
    {
        "late" => $"[pipekit] {TargetKind} {TargetName} is late",
        "long" => $"[pipekit] {TargetKind} {TargetName} ran long ({Seconds(DurationSeconds)})",
        "test" => $"[pipekit] test message",
        "recovery" => $"[pipekit] {TargetKind} {TargetName} recovered",
        _ => $"[pipekit] {TargetKind} {TargetName} {Status}" + (FailedMembers.Count > 0 ? $" ({FailedMembers.Count} failed)" : ""),
    };

    public string Body
    {
        get
        {
            var b = new StringBuilder();
            b.Append(CultureInfo.InvariantCulture, $"{TargetKind}: {TargetName}\n");
            b.Append(CultureInfo.InvariantCulture, $"event: {Event}\n");
            b.Append(CultureInfo.InvariantCulture, $"status: {Status}\n");
            if (RunId is { } id) b.Append(CultureInfo.InvariantCulture, $"run: {id}\n");
            if (ScheduledAt is { } at) b.Append(CultureInfo.InvariantCulture, $"scheduled at: {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z\n");
            if (Error is not null) b.Append(CultureInfo.InvariantCulture, $"error: {Error}\n");
            if (RowCount is { } rows) b.Append(CultureInfo.InvariantCulture, $"rows: {rows}\n");
            if (DurationSeconds is { } d) b.Append(CultureInfo.InvariantCulture, $"duration: {Seconds(d)}\n");
            if (MedianSeconds is { } m) b.Append(CultureInfo.InvariantCulture, $"median of recent runs: {Seconds(m)}\n");
            if (FailedMembers.Count > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"failed members ({FailedMembers.Count}):\n");
                foreach (var member in FailedMembers)
                    b.Append(CultureInfo.InvariantCulture, $"  - {member.Name} (run {member.RunId}): {member.Error ?? "failed"}\n");
            }
            if (Link is not null) b.Append(CultureInfo.InvariantCulture, $"{Link}\n");
            return b.ToString();
        }
    }

    private static string Seconds(double? seconds) =>
        seconds is { } s ? s.ToString(s < 10 ? "0.0#" : "0", CultureInfo.InvariantCulture) + " s" : "";
}
