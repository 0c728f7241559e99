namespace Pipekit.Core.Drivers.Parquet;

/// <summary>A column of a relation in the working copy, with its DuckDB type as DESCRIBE spells it.</summary>
internal sealed record StagedColumn(string Name, string Type);
