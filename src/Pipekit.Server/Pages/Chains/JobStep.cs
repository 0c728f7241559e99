namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// One step of a job's chain as its page shows it: 1-based position, path, and what the cache did with it —
/// <c>hit</c> (its layer was cached), <c>miss</c> (replayed by this job), <c>head</c> (ran in the instance), or
/// <c>unknown</c> (the tail has not been looked up yet).
/// </summary>
internal sealed record JobStep(int Number, string Path, string Cache, bool FirstMiss);
