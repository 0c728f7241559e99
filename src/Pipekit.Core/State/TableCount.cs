namespace Pipekit.Core.State;

/// <summary>The rows of one state table in the store copied from and in the store copied to.</summary>
public sealed record TableCount(string Table, long Source, long Target);
