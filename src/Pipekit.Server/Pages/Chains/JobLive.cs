using Pipekit.Chains.Jobs;

namespace Pipekit.Server.Pages.Chains;

/// <summary>What the live panel of a job page shows: the job and its log lines (already redacted).</summary>
internal sealed record JobLive(ChainJob Job, IReadOnlyList<ChainJobLogEntry> Lines);
