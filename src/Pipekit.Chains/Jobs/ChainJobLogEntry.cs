namespace Pipekit.Chains.Jobs;

/// <summary>One line of a job's log; <see cref="Seq"/> numbers them from 1, and <c>?after=</c> pages by it.</summary>
public sealed record ChainJobLogEntry(long Seq, DateTimeOffset At, string Line);
