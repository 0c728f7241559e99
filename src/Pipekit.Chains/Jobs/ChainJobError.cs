namespace Pipekit.Chains.Jobs;

/// <summary>How a job failed: the message, and for a SQL error its SQLSTATE and the file and line of the statement.</summary>
public sealed record ChainJobError(string Message, string? SqlState, string? Path, int? Line);
