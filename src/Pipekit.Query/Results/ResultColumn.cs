namespace Pipekit.Query.Results;

/// <summary>One column of a result: its name, its DuckDB type as DuckDB spells it, and how its values are encoded.</summary>
public sealed record ResultColumn(string Name, string Type, ColumnKind Kind);
