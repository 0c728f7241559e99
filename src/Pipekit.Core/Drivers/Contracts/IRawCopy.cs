namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: moving rows between two connections of its own engine as the engine's wire bytes, with no
/// per-value work (PostgreSQL's binary <c>COPY … TO STDOUT</c> piped into <c>COPY … FROM STDIN</c>). The transfer
/// engine asks the destination driver first and falls back to a typed bulk write when the answer is null.
/// </summary>
public interface IRawCopy
{
    /// <summary>
    /// Copies the rows and commits them, returning the count; or returns null, having written nothing, when this pair
    /// of connections, query or column types cannot go the raw way.
    /// </summary>
    Task<long?> TryRawCopyAsync(RawCopyRequest request, IProgress<long> rowsWritten, CancellationToken cancellationToken);
}
