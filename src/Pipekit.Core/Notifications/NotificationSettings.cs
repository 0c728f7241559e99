using Pipekit.Core.Configuration;

namespace Pipekit.Core.Notifications;

/// <summary>
/// The channels and rules in force: those of <c>pipekit.toml</c> and those stored through the API, merged. A target's
/// own rule wins; without one, the stored <c>global</c> rule; without that, the default of <c>[notifications]</c>.
/// </summary>
public sealed class NotificationSettings(NotificationRepository repository, PipekitConfig config)
{
    /// <summary>The base of run links: <c>[notifications] base_url</c>, else the server's own address.</summary>
    public string BaseUrl => config.Notifications.BaseUrl
        ?? $"http://{(config.Server.Host is "0.0.0.0" or "::" or "*" ? "localhost" : config.Server.Host)}:{config.Server.Port}";

    /// <summary>The default rule of <c>[notifications]</c>.</summary>
    public NotificationRule ConfigDefault => new()
    {
        TargetKind = NotificationRule.Global, On = config.Notifications.On, Channels = config.Notifications.Channels,
        LateAfter = config.Notifications.LateAfter, LongFactor = config.Notifications.LongFactor, Source = "config",
    };

    public IReadOnlyList<NotificationChannel> ConfigChannels => config.Notifications.ChannelList;

    /// <summary>Every channel, those of the config first, each list by name.</summary>
    public async Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken) =>
        [.. ConfigChannels.OrderBy(c => c.Name, StringComparer.Ordinal), .. await repository.ListChannelsAsync(cancellationToken)];

    /// <summary>The stored rules, with the config's default when no stored global rule replaces it.</summary>
    public async Task<IReadOnlyList<NotificationRule>> RulesAsync(CancellationToken cancellationToken)
    {
        var stored = await repository.ListRulesAsync(cancellationToken);
        return stored.Any(r => r.TargetKind == NotificationRule.Global) ? stored : [ConfigDefault, .. stored];
    }

    /// <summary>The rule that applies to one target.</summary>
    public static NotificationRule Resolve(IReadOnlyList<NotificationRule> rules, string kind, string name) =>
        rules.FirstOrDefault(r => r.TargetKind == kind && r.TargetName == name)
        ?? rules.First(r => r.TargetKind == NotificationRule.Global);

    /// <summary>The channels a rule sends to: its list, or every channel when the list is empty. Unknown names are skipped.</summary>
    public static IReadOnlyList<NotificationChannel> ChannelsOf(NotificationRule rule, IReadOnlyList<NotificationChannel> channels) =>
        rule.Channels.Count == 0 ? channels : channels.Where(c => rule.Channels.Contains(c.Name)).ToList();
}
