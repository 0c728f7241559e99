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

/// <summary>
/// The table a bulk writer loads and the destination columns in source-reader order. The transfer engine
/// fills an empty <see cref="Columns"/> with the source column names before it creates a writer.
/// </summary>
public sealed record BulkWriteTarget(TableName Table, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// A transaction of the caller's to write in (Sync loads a staging table and merges it in one transaction).
    /// When set, the writer neither commits nor rolls back: the caller does. When null, the writer owns its own.
    /// </summary>
    public DbTransaction? Transaction { get; init; }
}
