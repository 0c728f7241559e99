namespace Pipekit.Pipelines.Sdk;

/// <summary>One secret access over the SDK socket, for the audit: never the value.</summary>
public sealed record SecretRead(string RunId, string Dag, string Task, string Method, string Key, string? Field, bool Found, DateTimeOffset At);
