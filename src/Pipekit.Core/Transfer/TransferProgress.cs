namespace Pipekit.Core.Transfer;

/// <summary>A progress report: rows so far, the rate, the time since the transfer started.</summary>
public readonly record struct TransferProgress(long Rows, double RowsPerSecond, TimeSpan Elapsed);
