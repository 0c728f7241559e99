namespace Pipekit.Pipelines.State;

/// <summary>A DAG known to the state store (its project lives in the workspace).</summary>
public sealed record Pipeline(long Id, string Name, string ProjectDir, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
