namespace Pipekit.Core.Notifications;

/// <summary>What a part tells the notifier when a run ends: enough to decide the rules and to write the message.</summary>
public sealed record RunNotice
{
    /// <summary><c>module</c>, <c>group</c> or <c>pipeline</c>.</summary>
    public required string TargetKind { get; init; }

    public required string TargetName { get; init; }

    public long RunId { get; init; }

    public required NoticeStatus Status { get; init; }

    /// <summary>The status as the part names it (<c>error</c>, <c>failed</c>, <c>success</c>…), shown in the message.</summary>
    public required string StatusText { get; init; }

    public string? Error { get; init; }

    public long? RowCount { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The run page, relative to the server (<c>/runs/12</c>).</summary>
    public required string RunPath { get; init; }

    /// <summary>The members of a group run that failed, each with its error; one message lists them all.</summary>
    public IReadOnlyList<NoticeMember> FailedMembers { get; init; } = [];

    public TimeSpan Duration => FinishedAt - StartedAt;
}
