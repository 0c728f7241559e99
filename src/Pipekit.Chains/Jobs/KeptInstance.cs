namespace Pipekit.Chains.Jobs;

/// <summary>
/// A job's instance left in place after the job completed, because the job asked to keep it: its name (a database, or
/// the file's path) and how a client connects to it (a postgres:// URI without a password, or the file's path).
/// </summary>
public sealed record KeptInstance(string Name, string Connect);
