using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Streams rows from a reader into an existing table inside the writer's own transaction (or the engine's
/// equivalent): <see cref="CompleteAsync"/> commits; a failed or cancelled write, or disposing without completing,
/// rolls it back. Several writes before the completion go into the same transaction.
/// </summary>
public interface IBulkWriter : IAsyncDisposable
{
    /// <summary>Writes every row of <paramref name="source"/>, reporting the running row count; returns the rows written.</summary>
    Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken);

    /// <summary>Commits what was written.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
