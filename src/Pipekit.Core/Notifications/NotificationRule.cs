namespace Pipekit.Core.Notifications;

/// <summary>
/// When runs of one target (a module, a group, a pipeline) or of every target (<c>global</c>) send a message, and where
/// to. <see cref="On"/> holds events: <c>failure</c> (every failed run), <c>recovery</c> (the first success after a
/// failure) and <c>always</c> (every end). <see cref="LateAfter"/> and <see cref="LongFactor"/> are the SLA parts.
/// </summary>
public sealed record NotificationRule
{
    public const string Global = "global";
    public const string Module = "module";
    public const string Group = "group";
    public const string Pipeline = "pipeline";
    public const string OnFailure = "failure";
    public const string OnRecovery = "recovery";
    public const string OnAlways = "always";

    public static IReadOnlyList<string> TargetKinds { get; } = [Global, Module, Group, Pipeline];

    public static IReadOnlyList<string> Events { get; } = [OnFailure, OnRecovery, OnAlways];

    /// <summary>The row id; null for the default of <c>pipekit.toml</c>.</summary>
    public long? Id { get; init; }

    public required string TargetKind { get; init; }

    /// <summary>The module, group or pipeline name; empty for <c>global</c>.</summary>
    public string TargetName { get; init; } = "";

    /// <summary>The events that send a message; empty sends none (only the SLA parts, if set).</summary>
    public IReadOnlyList<string> On { get; init; } = [OnFailure];

    /// <summary>The channel names; empty means every channel.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>A scheduled group or pipeline not finished this long after its fire time sends a <c>late</c> message.</summary>
    public TimeSpan? LateAfter { get; init; }

    /// <summary>A run longer than this many times the median of the last 20 successful runs sends a <c>long</c> message.</summary>
    public double? LongFactor { get; init; }

    /// <summary>Where the rule came from: <c>config</c> or <c>api</c>.</summary>
    public string Source { get; init; } = "api";
}
