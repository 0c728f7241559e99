namespace Pipekit.Chains.Planning;

/// <summary>One SQL file of a chain, at its position (0-based).</summary>
public sealed record ChainStep(int Index, string Path, string Content);
