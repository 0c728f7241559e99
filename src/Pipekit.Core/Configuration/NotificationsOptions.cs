using Pipekit.Core.Notifications;

namespace Pipekit.Core.Configuration;

/// <summary>
/// <c>[notifications]</c>: the global default rule (<c>on</c>, <c>channels</c>, <c>late_after</c>, <c>long_factor</c>),
/// the base URL of run links, and the channels of <c>[notifications.channel.NAME]</c> tables.
/// </summary>
public sealed record NotificationsOptions
{
    /// <summary>The server's address as users reach it, for links in messages; null uses <c>http://[server].host:port</c>.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The default's events: <c>failure</c>, <c>recovery</c>, <c>always</c>.</summary>
    public IReadOnlyList<string> On { get; init; } = [NotificationRule.OnFailure];

    /// <summary>The default's channels; empty means every channel.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    public TimeSpan? LateAfter { get; init; }

    public double? LongFactor { get; init; }

    /// <summary>The channels defined in the file.</summary>
    public IReadOnlyList<NotificationChannel> ChannelList { get; init; } = [];
}
