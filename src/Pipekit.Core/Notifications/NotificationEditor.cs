using Pipekit.Core.Errors;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Notifications;

/// <summary>
/// What the API, the Settings page and <c>pipekit notifications</c> change: channels (those of <c>pipekit.toml</c> are
/// read-only here), rules, and the test message. Every input is checked before anything is written.
/// </summary>
public sealed class NotificationEditor(NotificationRepository repository, NotificationSettings settings, NotificationDelivery delivery, TimeProvider time)
{
    public Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken) => settings.ChannelsAsync(cancellationToken);

    public Task<IReadOnlyList<NotificationRule>> ListRulesAsync(CancellationToken cancellationToken) => settings.RulesAsync(cancellationToken);

    /// <exception cref="ValidationException">The channel is invalid, or its name is taken.</exception>
    public async Task<NotificationChannel> AddChannelAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        if (ChannelCheck.Validate(channel) is { } problem) throw new ValidationException(problem.Key, problem.Message);
        if (settings.ConfigChannels.Any(c => c.Name == channel.Name))
            throw new ValidationException("name", $"channel '{channel.Name}' is defined in pipekit.toml; pick another name");
        return await repository.AddChannelAsync(channel with { Source = "api" }, cancellationToken);
    }

    /// <exception cref="NotFoundException">No such channel.</exception>
    /// <exception cref="CannotDoHereException">The channel is defined in <c>pipekit.toml</c>.</exception>
    public async Task RemoveChannelAsync(string name, CancellationToken cancellationToken)
    {
        if (settings.ConfigChannels.Any(c => c.Name == name))
            throw new CannotDoHereException($"channel '{name}' is defined in pipekit.toml; remove its [notifications.channel.{name}] table there");
        if (!await repository.RemoveChannelAsync(name, cancellationToken))
            throw new NotFoundException($"no notification channel named '{name}'; 'pipekit notifications list' shows them");
    }

    /// <summary>Sends a test message to one channel now; returns null when it arrived, else the (redacted) reason.</summary>
    /// <exception cref="NotFoundException">No such channel.</exception>
    public async Task<string?> TestAsync(string name, CancellationToken cancellationToken)
    {
        var channel = (await settings.ChannelsAsync(cancellationToken)).FirstOrDefault(c => c.Name == name)
            ?? throw new NotFoundException($"no notification channel named '{name}'; 'pipekit notifications list' shows them");
        var message = new NotificationMessage
        {
            Event = "test", TargetKind = "channel", TargetName = name, Status = "test", StartedAt = time.GetUtcNow(),
            Error = null, Link = settings.BaseUrl + "/settings",
        };
        return await delivery.SendAsync(channel, message, cancellationToken);
    }

    /// <summary>Creates or replaces the rule of its target (one rule per target).</summary>
    /// <exception cref="ValidationException">The rule is invalid or names a channel that does not exist.</exception>
    public async Task<NotificationRule> SetRuleAsync(NotificationRule rule, CancellationToken cancellationToken)
    {
        rule = rule with { TargetName = rule.TargetName.Trim(), On = rule.On.Distinct().ToList(), Channels = rule.Channels.Distinct().ToList() };
        if (RuleCheck.Validate(rule) is { } problem) throw new ValidationException(problem.Key, problem.Message);
        var channels = await settings.ChannelsAsync(cancellationToken);
        if (rule.Channels.FirstOrDefault(n => channels.All(c => c.Name != n)) is { } unknown)
            throw new ValidationException("channels", $"no channel named '{unknown}'; add it first (known: {(channels.Count == 0 ? "none" : string.Join(", ", channels.Select(c => c.Name)))})");
        return await repository.SetRuleAsync(rule, cancellationToken);
    }

    /// <exception cref="NotFoundException">No stored rule has that id.</exception>
    public async Task RemoveRuleAsync(long id, CancellationToken cancellationToken)
    {
        if (!await repository.RemoveRuleAsync(id, cancellationToken))
            throw new NotFoundException($"no notification rule with id {id}; 'pipekit notifications list' shows them");
    }
}
