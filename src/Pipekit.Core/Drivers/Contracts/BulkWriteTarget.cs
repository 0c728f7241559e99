namespace Pipekit.Core.Drivers;

/// <summary>
/// The table a bulk writer loads and the destination columns in source-reader order. The transfer engine
/// fills an empty <see cref="Columns"/> with the source column names before it creates a writer.
/// </summary>
public sealed record BulkWriteTarget(TableName Table, IReadOnlyList<string> Columns);
