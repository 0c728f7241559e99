namespace Pipekit.Core.Configuration;

/// <summary>Mutable accumulator used while binding a file; the result is the immutable <see cref="PipekitConfig"/>.</summary>
internal sealed class ConfigBuilder
{
    public ServerOptions Server { get; set; } = new();
    public StateOptions State { get; set; } = new();
    public SecretsOptions Secrets { get; set; } = new();
    public SchedulerOptions Scheduler { get; set; } = new();
    public SyncOptions Sync { get; set; } = new();
    public PipelinesOptions Pipelines { get; set; } = new();
    public QueryOptions Query { get; set; } = new();
    public S3Options S3 { get; set; } = new();
    public ChainsOptions Chains { get; set; } = new();
    public NotificationsOptions Notifications { get; set; } = new();

    public PipekitConfig Build(string path) => new()
    {
        SourcePath = path,
        Server = Server,
        State = State,
        Secrets = Secrets,
        Scheduler = Scheduler,
        Sync = Sync,
        Pipelines = Pipelines,
        Query = Query,
        S3 = S3,
        Chains = Chains,
        Notifications = Notifications,
    };
}
