namespace Pipekit.Sync.SchemaChanges;

/// <summary>A column a run writes: its destination name and type (declared, or the driver's mapping of the source type).</summary>
public sealed record WantedColumn(string Name, string Type);
