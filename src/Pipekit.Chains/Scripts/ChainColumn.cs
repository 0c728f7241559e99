namespace Pipekit.Chains.Scripts;

/// <summary>A result column: its name and the engine's type name.</summary>
public sealed record ChainColumn(string Name, string Type);
