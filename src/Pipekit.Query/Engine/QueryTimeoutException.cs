using Pipekit.Core.Errors;

namespace Pipekit.Query.Engine;

/// <summary>A query that ran past <c>[query].timeout</c> and was interrupted. The server answers 408.</summary>
public sealed class QueryTimeoutException(TimeSpan timeout)
    : CannotDoHereException($"the query ran longer than {Core.Configuration.DurationText.Format(timeout)} and was stopped; narrow it, or raise [query].timeout")
{
    public TimeSpan Timeout { get; } = timeout;
}
