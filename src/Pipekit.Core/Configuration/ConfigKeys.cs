namespace Pipekit.Core.Configuration;

/// <summary>The table of every setting <c>pipekit.toml</c> accepts. Later parts add their sections here.</summary>
internal static class ConfigKeys
{
    public static readonly IReadOnlyDictionary<string, ConfigKey> All = new ConfigKey[]
    {
        ConfigKey.String("server", "host", (b, v) => b.Server = b.Server with { Host = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Integer("server", "port", 1, 65535, (b, v) => b.Server = b.Server with { Port = v }),
        ConfigKey.Integer("server", "max_concurrent_runs", 1, 256, (b, v) => b.Server = b.Server with { MaxConcurrentRuns = v }),
        ConfigKey.Boolean("server", "metrics_public", (b, v) => b.Server = b.Server with { MetricsPublic = v }),
        ConfigKey.String("state", "path", (b, v) => b.State = b.State with { Path = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.String("state", "url", (b, v) => b.State = b.State with { Url = v }, StateUrl.Validate),
        ConfigKey.String("state", "password", (b, v) => b.State = b.State with { Password = v }, StateUrl.ValidatePassword),
        ConfigKey.Integer("state", "busy_timeout_ms", 0, 600_000, (b, v) => b.State = b.State with { BusyTimeoutMs = v }),
        ConfigKey.String("secrets", "path", (b, v) => b.Secrets = b.Secrets with { Path = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Boolean("scheduler", "enabled", (b, v) => b.Scheduler = b.Scheduler with { Enabled = v }),
        ConfigKey.Integer("scheduler", "max_sleep_seconds", 1, 3600, (b, v) => b.Scheduler = b.Scheduler with { MaxSleepSeconds = v }),
        ConfigKey.Integer("sync", "stale_lock_hours", 1, 24 * 365, (b, v) => b.Sync = b.Sync with { StaleLockHours = v }),
        ConfigKey.String("pipelines", "workspace", (b, v) => b.Pipelines = b.Pipelines with { Workspace = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Integer("pipelines", "max_parallel_tasks", 1, 256, (b, v) => b.Pipelines = b.Pipelines with { MaxParallelTasks = v }),
        ConfigKey.String("pipelines", "python", (b, v) => b.Pipelines = b.Pipelines with { Python = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
    }.ToDictionary(k => k.FullName, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> SectionNames = All.Values.Select(k => k.Section).Distinct().ToList();

    public static IEnumerable<string> KeysOf(string section) => All.Values.Where(k => k.Section == section).Select(k => k.Name);
}
