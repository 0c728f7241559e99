namespace Pipekit.Pipelines.Projects;

/// <summary>One <c>[[outputs]]</c> entry: what a DAG produces, for people and the UI.</summary>
public sealed record PitOutput(string Name, string? Type, string? Location);
