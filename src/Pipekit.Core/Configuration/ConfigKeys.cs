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
        ConfigKey.StringList("server", "allowed_hosts", (b, v) => b.Server = b.Server with { AllowedHosts = v }, ValidateHostName),
        ConfigKey.String("state", "path", (b, v) => b.State = b.State with { Path = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.String("state", "url", (b, v) => b.State = b.State with { Url = v }, StateUrl.Validate),
        ConfigKey.String("state", "password", (b, v) => b.State = b.State with { Password = v }, StateUrl.ValidatePassword),
        ConfigKey.String("state", "pg_bin_dir", (b, v) => b.State = b.State with { PgBinDir = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : !System.IO.Path.IsPathRooted(v) ? "must be an absolute directory, e.g. \"/usr/lib/postgresql/15/bin\"" : null),
        ConfigKey.Integer("state", "busy_timeout_ms", 0, 600_000, (b, v) => b.State = b.State with { BusyTimeoutMs = v }),
        ConfigKey.String("secrets", "path", (b, v) => b.Secrets = b.Secrets with { Path = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Boolean("scheduler", "enabled", (b, v) => b.Scheduler = b.Scheduler with { Enabled = v }),
        ConfigKey.Integer("scheduler", "max_sleep_seconds", 1, 3600, (b, v) => b.Scheduler = b.Scheduler with { MaxSleepSeconds = v }),
        ConfigKey.Integer("sync", "stale_lock_hours", 1, 24 * 365, (b, v) => b.Sync = b.Sync with { StaleLockHours = v }),
        ConfigKey.Integer("sync", "stale_lock_sweep_seconds", 1, 24 * 3600, (b, v) => b.Sync = b.Sync with { StaleLockSweepSeconds = v }),
        ConfigKey.String("pipelines", "workspace", (b, v) => b.Pipelines = b.Pipelines with { Workspace = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Integer("pipelines", "max_parallel_tasks", 1, 256, (b, v) => b.Pipelines = b.Pipelines with { MaxParallelTasks = v }),
        ConfigKey.String("pipelines", "python", (b, v) => b.Pipelines = b.Pipelines with { Python = v },
            v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.Integer("query", "max_rows", 1, 100_000_000, (b, v) => b.Query = b.Query with { MaxRows = v }),
        ConfigKey.Duration("query", "timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), (b, v) => b.Query = b.Query with { Timeout = v }),
        ConfigKey.Integer("query", "max_concurrent", 1, 1024, (b, v) => b.Query = b.Query with { MaxConcurrent = v }),
        ConfigKey.Integer("query", "max_queued", 0, 100_000, (b, v) => b.Query = b.Query with { MaxQueued = v }),
        ConfigKey.String("query", "memory_limit", (b, v) => b.Query = b.Query with { MemoryLimit = v }, ByteSize.Validate),
        ConfigKey.Integer("query", "threads", 1, 1024, (b, v) => b.Query = b.Query with { Threads = v }),
        ConfigKey.Duration("query", "refresh_every", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), (b, v) => b.Query = b.Query with { RefreshEvery = v }),
        ConfigKey.String("query", "catalog_url", (b, v) => b.Query = b.Query with { CatalogUrl = v }, ValidateHttpUrl),
        ConfigKey.String("s3", "mode", (b, v) => b.S3 = b.S3 with { Mode = v }, v => v is "cache" or "direct" ? null : $"must be \"cache\" or \"direct\", got \"{v}\""),
        ConfigKey.String("s3", "endpoint", (b, v) => b.S3 = b.S3 with { Endpoint = v }, ValidateHttpUrl),
        ConfigKey.String("s3", "region", (b, v) => b.S3 = b.S3 with { Region = v }, v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.String("s3", "bucket", (b, v) => b.S3 = b.S3 with { Bucket = v }, v => string.IsNullOrWhiteSpace(v) ? "must not be empty" : null),
        ConfigKey.String("s3", "url_style", (b, v) => b.S3 = b.S3 with { UrlStyle = v }, v => v is "path" or "vhost" ? null : $"must be \"path\" or \"vhost\", got \"{v}\""),
        ConfigKey.Boolean("s3", "use_ssl", (b, v) => b.S3 = b.S3 with { UseSsl = v }),
        ConfigKey.Integer("s3", "cache_max_mb", 1, 100_000_000, (b, v) => b.S3 = b.S3 with { CacheMaxMegabytes = v }),
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
        ConfigKey.String("notifications", "base_url", (b, v) => b.Notifications = b.Notifications with { BaseUrl = v.TrimEnd('/') }, ValidateHttpUrl),
        ConfigKey.StringList("notifications", "on", (b, v) => b.Notifications = b.Notifications with { On = v },
            v => Notifications.RuleCheck.ValidateEvents([v])),
        ConfigKey.StringList("notifications", "channels", (b, v) => b.Notifications = b.Notifications with { Channels = v },
            v => Notifications.ChannelCheck.ValidateName(v) is { } e ? $"\"{v}\": a channel name {e}" : null),
        ConfigKey.Duration("notifications", "late_after", TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), (b, v) => b.Notifications = b.Notifications with { LateAfter = v }),
        new ConfigKey("notifications", "long_factor", (b, v) =>
        {
            double? factor = v switch { double d => d, long n => n, _ => null };
            if (factor is null) return "expected a number such as 3 or 2.5";
            if (Notifications.RuleCheck.ValidateLongFactor(factor) is { } error) return error;
            b.Notifications = b.Notifications with { LongFactor = factor };
            return null;
        }),
    }.ToDictionary(k => k.FullName, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> SectionNames = All.Values.Select(k => k.Section).Distinct().ToList();

    private static string? ValidateHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"must be an http:// or https:// URL, got \"{value}\"";

    // A host name as a Host header carries it, without a port: a DNS name, "*.example.com" for its subdomains, an IPv4
    // address, a bracketed IPv6 address, or "*" for every name.
    private static string? ValidateHostName(string value)
    {
        if (value == "*") return null;
        var name = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        if (name.StartsWith('[') && name.EndsWith(']') && System.Net.IPAddress.TryParse(name[1..^1], out _)) return null;
        return name.Length > 0 && Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4
            ? null
            : $"must hold host names without a port or scheme, such as \"pipekit.example.com\", \"*.example.com\" or \"10.0.0.5\"; got \"{value}\"";
    }

    public static IEnumerable<string> KeysOf(string section) => All.Values.Where(k => k.Section == section).Select(k => k.Name);
}
