namespace Pipekit.Chains.Scripts;

/// <summary>One statement of a step file, with the 1-based line it starts on and the variables it names, in order of first use.</summary>
internal sealed record SqlStatement(string Text, int Line, IReadOnlyList<string> Variables);
