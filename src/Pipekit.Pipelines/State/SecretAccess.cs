namespace Pipekit.Pipelines.State;

/// <summary>One audited secret read: never the value.</summary>
public sealed record SecretAccess(long Id, long RunId, string DagName, string Task, string Method, string Key, string? Field, bool Found, DateTimeOffset AccessedAt);
