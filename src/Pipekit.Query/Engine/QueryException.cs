using Pipekit.Core.Errors;

namespace Pipekit.Query.Engine;

/// <summary>
/// A query that cannot run as given: empty SQL, a statement that is not a read, or an error DuckDB reported
/// (its message already redacted). The server answers 400.
/// </summary>
public sealed class QueryException(string message) : InvalidInputException(message);
