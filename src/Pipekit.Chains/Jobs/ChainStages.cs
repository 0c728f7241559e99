namespace Pipekit.Chains.Jobs;

/// <summary>The stages of a job, in the order they run, and its statuses.</summary>
public static class ChainStages
{
    public const string Parsing = "parsing";
    public const string SnapshotLookup = "snapshot_lookup";
    public const string TailReplay = "tail_replay";
    public const string InstanceBoot = "instance_boot";
    public const string HeadExecution = "head_execution";
    public const string Publishing = "publishing";

    public const string Pending = "pending";
    public const string Preparing = "preparing";
    public const string Running = "running";
    public const string PublishingStatus = "publishing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static bool IsTerminal(string status) => status is Completed or Failed or Canceled;
}
