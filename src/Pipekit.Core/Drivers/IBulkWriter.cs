using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Streams rows from a reader into an existing table. The writer owns a transaction (or the engine's
/// equivalent): <see cref="CompleteAsync"/> commits; disposing without completing rolls the write back.
/// </summary>
public interface IBulkWriter : IAsyncDisposable
{
    /// <summary>Writes every row of <paramref name="source"/>, reporting the running row count; returns the rows written.</summary>
    Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken);

    /// <summary>Commits what was written.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>The table a bulk writer loads and the destination columns in source-reader order.</summary>
public sealed record BulkWriteTarget(TableName Table, IReadOnlyList<string> Columns);
