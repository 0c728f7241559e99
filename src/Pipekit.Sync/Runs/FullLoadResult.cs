namespace Pipekit.Sync.Runs;

/// <summary>What a direct or swap full load moved: the rows now in the destination and the transfer's log line.</summary>
internal sealed record FullLoadResult(long Rows, string TransferLog);
