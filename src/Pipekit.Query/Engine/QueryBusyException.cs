using Pipekit.Core.Errors;

namespace Pipekit.Query.Engine;

/// <summary>
/// Every query slot is busy and the wait queue is full (<c>[query].max_concurrent</c>, <c>[query].max_queued</c>).
/// The server answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class QueryBusyException(int running, int queued)
    : CannotDoHereException($"the query engine is busy ({running} queries running, {queued} waiting); retry shortly", transient: true)
{
    /// <summary>A suggested wait before retrying.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
