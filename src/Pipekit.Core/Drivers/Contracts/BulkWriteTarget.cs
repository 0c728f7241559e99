using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The table a bulk writer loads and the destination columns in source-reader order. The transfer engine
/// fills an empty <see cref="Columns"/> with the source column names before it creates a writer.
/// </summary>
public sealed record BulkWriteTarget(TableName Table, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// The caller's open transaction on the destination connection to write in, or null for the writer's own. With one,
    /// the rows join whatever the caller did before (a TRUNCATE of the same table) and the caller commits or rolls back:
    /// the writer's completion ends the engine's load but does not commit, and a failed write leaves the rollback to the caller.
    /// </summary>
    public DbTransaction? Transaction { get; init; }
}
