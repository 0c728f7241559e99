namespace Pipekit.Pipelines.Sdk;

/// <summary>Who is on the other end of an SDK socket: the run, its DAG (the secrets scope) and the task.</summary>
public sealed record SdkCaller(string RunId, string Dag, string Task);
