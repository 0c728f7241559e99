namespace Pipekit.Core.Configuration;

/// <summary>
/// The parsed <c>pipekit.toml</c>. Every setting has a default, so a missing file is a valid configuration.
/// </summary>
public sealed record PipekitConfig
{
    /// <summary>The file the configuration came from, or null when defaults were used.</summary>
    public string? SourcePath { get; init; }

    public ServerOptions Server { get; init; } = new();

    public StateOptions State { get; init; } = new();

    public SecretsOptions Secrets { get; init; } = new();

    public SchedulerOptions Scheduler { get; init; } = new();

    public SyncOptions Sync { get; init; } = new();

    public PipelinesOptions Pipelines { get; init; } = new();

    public QueryOptions Query { get; init; } = new();

    public S3Options S3 { get; init; } = new();

    public ChainsOptions Chains { get; init; } = new();

    public NotificationsOptions Notifications { get; init; } = new();
}

/// <summary><c>[server]</c>: where <c>pipekit serve</c> listens.</summary>
public sealed record ServerOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8080;

    /// <summary>How many module runs the server executes at once; later ones wait as <c>queued</c>.</summary>
    public int MaxConcurrentRuns { get; init; } = 4;

    /// <summary>Serve <c>/metrics</c> without authentication (for a scraper on a trusted network).</summary>
    public bool MetricsPublic { get; init; }

    /// <summary>
    /// Host names (a <c>Host</c> header without its port) the server answers to besides the loopback names; <c>*.example.com</c>
    /// matches any subdomain. Empty: only loopback names while no password is set, any name once one is.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Add a <c>Server-Timing</c> header with the server's own time to each response (<c>pipekit serve --server-timing</c>),
    /// for measurements: the body is held back until it is complete. Off by default.
    /// </summary>
    public bool ServerTiming { get; init; }
}

/// <summary>
/// <c>[state]</c>: the state store. The SQLite file at <c>path</c> (null means <c>$PIPEKIT_HOME/pipekit.db</c>), unless
/// <c>url</c> (or <c>PIPEKIT_STATE_URL</c>) names a PostgreSQL database, whose password is the <c>$NAME</c> reference in
/// <c>password</c>.
/// </summary>
public sealed record StateOptions
{
    public string? Path { get; init; }

    /// <summary>A <c>postgres://user@host:port/database</c> URL without a password; null keeps the SQLite file.</summary>
    public string? Url { get; init; }

    /// <summary>The PostgreSQL password as a <c>$NAME</c> secret reference; never a literal value.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Where <c>pg_dump</c> and <c>pg_restore</c> are for <c>pipekit backup</c>/<c>restore</c> of a PostgreSQL store; null
    /// looks on PATH.
    /// </summary>
    public string? PgBinDir { get; init; }

    /// <summary>How long a writer waits for a locked state database before failing.</summary>
    public int BusyTimeoutMs { get; init; } = 5000;
}

/// <summary><c>[secrets]</c>: the secrets file. Null path means the usual search (see SecretsLocation).</summary>
public sealed record SecretsOptions
{
    public string? Path { get; init; }
}

/// <summary><c>[scheduler]</c>: the cron scheduler of <c>pipekit serve</c>.</summary>
public sealed record SchedulerOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>The longest the scheduler sleeps before looking at its schedules again.</summary>
    public int MaxSleepSeconds { get; init; } = 60;
}

/// <summary><c>[sync]</c>: module runs.</summary>
public sealed record SyncOptions
{
    /// <summary>A module lock older than this is cleared at startup even if its owner seems alive.</summary>
    public int StaleLockHours { get; init; } = 24;

    /// <summary>How often the server looks for locks held by processes on this host that are gone, and clears them.</summary>
    public int StaleLockSweepSeconds { get; init; } = 30;
}

/// <summary><c>[pipelines]</c>: Pit-compatible DAG projects.</summary>
public sealed record PipelinesOptions
{
    /// <summary>The workspace holding <c>projects/*/pit.toml</c>; null means <c>$PIPEKIT_HOME/workspace</c>.</summary>
    public string? Workspace { get; init; }

    /// <summary>How many tasks of one run execute at once.</summary>
    public int MaxParallelTasks { get; init; } = 4;

    /// <summary>The interpreter of <c>.py</c> tasks.</summary>
    public string Python { get; init; } = "python3";
}

/// <summary><c>[chains]</c>: SQL chains, their layer cache and jobs. TTLs are in seconds.</summary>
public sealed record ChainsOptions
{
    /// <summary>The PostgreSQL server that holds layers and instances (a URI; its role needs CREATEDB). Null: no PostgreSQL engine.</summary>
    public string? Postgres { get; init; }

    /// <summary><c>every_step</c> (each replayed step becomes a layer) or <c>tail_only</c>.</summary>
    public string Publish { get; init; } = "every_step";

    /// <summary>How many job instances may exist at once; later jobs wait in <c>preparing</c>.</summary>
    public int MaxInstances { get; init; } = 4;

    /// <summary>Total bytes of layers kept; GC evicts the least recently used beyond it.</summary>
    public long MaxLayerBytes { get; init; } = 10L * 1024 * 1024 * 1024;

    /// <summary>How long a finished job (its result and logs) is kept, unless the job asks for another TTL.</summary>
    public int JobTtl { get; init; } = 24 * 3600;

    /// <summary>How long a layer is kept after its last use.</summary>
    public int SnapshotTtl { get; init; } = 7 * 24 * 3600;

    /// <summary>How often GC runs in <c>pipekit serve</c>.</summary>
    public int GcIntervalSeconds { get; init; } = 60;

    /// <summary>A <c>$NAME</c> reference to the secret that signs webhooks (HMAC-SHA256).</summary>
    public string? WebhookSecret { get; init; }
}
