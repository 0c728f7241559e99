namespace Pipekit.Core.Drivers;

/// <summary>A column of a table Pipekit creates: a name and the engine-specific type text.</summary>
public sealed record ColumnDefinition(string Name, string Type, bool Nullable = true);
