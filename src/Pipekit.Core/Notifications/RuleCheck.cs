namespace Pipekit.Core.Notifications;

/// <summary>The checks a rule passes from the config, the API or the Settings page; each failure names its key.</summary>
internal static class RuleCheck
{
    public static string? ValidateEvents(IReadOnlyList<string> events) =>
        events.FirstOrDefault(e => !NotificationRule.Events.Contains(e)) is { } wrong
            ? $"holds \"{wrong}\"; use any of {string.Join(", ", NotificationRule.Events)} (an empty list sends no status message)"
            : null;

    public static string? ValidateLongFactor(double? factor) =>
        factor is null or (>= 1.1 and <= 1000) ? null : $"must be between 1.1 and 1000, got {factor}";

    public static string? ValidateLateAfter(TimeSpan? late) =>
        late is null || (late >= TimeSpan.FromMinutes(1) && late <= TimeSpan.FromDays(7)) ? null : "must be between 1m and 7d";

    /// <summary>The first problem as (key, message), or null.</summary>
    public static (string Key, string Message)? Validate(NotificationRule rule)
    {
        if (!NotificationRule.TargetKinds.Contains(rule.TargetKind))
            return ("target_kind", $"must be one of {string.Join(", ", NotificationRule.TargetKinds)}, got \"{rule.TargetKind}\"");
        if (rule.TargetKind == NotificationRule.Global && rule.TargetName.Length > 0) return ("target", "a global rule names no target");
        if (rule.TargetKind != NotificationRule.Global && string.IsNullOrWhiteSpace(rule.TargetName)) return ("target", $"names the {rule.TargetKind} the rule is for");
        if (ValidateEvents(rule.On) is { } on) return ("on", on);
        if (ValidateLateAfter(rule.LateAfter) is { } late) return ("late_after", late);
        if (rule.LateAfter is not null && rule.TargetKind == NotificationRule.Module)
            return ("late_after", "applies to scheduled groups and pipelines; modules are scheduled through their group");
        if (ValidateLongFactor(rule.LongFactor) is { } factor) return ("long_factor", factor);
        if (rule.Channels.FirstOrDefault(c => ChannelCheck.ValidateName(c) is not null) is { } bad) return ("channels", $"holds \"{bad}\", which is not a channel name");
        return null;
    }
}
