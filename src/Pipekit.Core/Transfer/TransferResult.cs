namespace Pipekit.Core.Transfer;

/// <summary>What a finished transfer moved.</summary>
public sealed record TransferResult(long Rows, TimeSpan Elapsed);
