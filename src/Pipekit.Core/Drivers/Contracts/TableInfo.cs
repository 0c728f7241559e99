namespace Pipekit.Core.Drivers;

/// <summary>A table or view as introspected from a catalog; <see cref="Schema"/> is null on engines without schemas.</summary>
public sealed record TableInfo(string? Schema, string Name, string Type)
{
    public bool IsView => Type.Contains("VIEW", StringComparison.OrdinalIgnoreCase);

    public TableName ToTableName() => new(Name, Schema);
}
