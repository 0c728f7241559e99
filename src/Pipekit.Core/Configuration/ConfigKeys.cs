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
        ConfigKey.Integer("state", "busy_timeout_ms", 0, 600_000, (b, v) => b.State = b.State with { BusyTimeoutMs = v }),
        ConfigKey.String("secrets", "path", (b, v) => b.Secrets = b.Secrets with { Path = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Boolean("scheduler", "enabled", (b, v) => b.Scheduler = b.Scheduler with { Enabled = v }),
        ConfigKey.Integer("scheduler", "max_sleep_seconds", 1, 3600, (b, v) => b.Scheduler = b.Scheduler with { MaxSleepSeconds = v }),
        ConfigKey.Integer("sync", "stale_lock_hours", 1, 24 * 365, (b, v) => b.Sync = b.Sync with { StaleLockHours = v }),
        ConfigKey.String("chains", "postgres", (b, v) => b.Chains = b.Chains with { Postgres = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.String("chains", "publish", (b, v) => b.Chains = b.Chains with { Publish = v },
            v => v is "every_step" or "tail_only" ? null : $"must be \"every_step\" or \"tail_only\", got \"{v}\""),
        ConfigKey.Integer("chains", "max_instances", 1, 1024, (b, v) => b.Chains = b.Chains with { MaxInstances = v }),
        ConfigKey.Long("chains", "max_layer_bytes", 1, long.MaxValue, (b, v) => b.Chains = b.Chains with { MaxLayerBytes = v }),
        ConfigKey.Integer("chains", "job_ttl", 1, int.MaxValue, (b, v) => b.Chains = b.Chains with { JobTtl = v }),
        ConfigKey.Integer("chains", "snapshot_ttl", 1, int.MaxValue, (b, v) => b.Chains = b.Chains with { SnapshotTtl = v }),
        ConfigKey.Integer("chains", "gc_interval_seconds", 1, 86400, (b, v) => b.Chains = b.Chains with { GcIntervalSeconds = v }),
        ConfigKey.String("chains", "webhook_secret", (b, v) => b.Chains = b.Chains with { WebhookSecret = v },
            v => v.StartsWith('$') && v.Length > 1 ? null : "must be a $NAME reference to a secret, not the secret itself"),
    }.ToDictionary(k => k.FullName, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> SectionNames = All.Values.Select(k => k.Section).Distinct().ToList();

    public static IEnumerable<string> KeysOf(string section) => All.Values.Where(k => k.Section == section).Select(k => k.Name);
}
