namespace Pipekit.Core.Drivers;

/// <summary>A schema as introspected from a catalog.</summary>
public sealed record SchemaInfo(string Name);
