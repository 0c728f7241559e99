using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: the provider reads some column types with fewer digits than the engine holds (DuckDB.NET
/// reads DECIMAL(38,10) into a System.Decimal, rounding past 28 digits without an error; an interval with months has no
/// TimeSpan), so the driver rewrites a query to return those columns as exact text the engine computes: a run's source
/// query, and both sides of verify, which hashes that text (PostgreSQL and DuckDB spell an interval's parts alike).
/// Drivers whose providers read every value exactly, or refuse what does not fit, do not implement it.
/// </summary>
public interface IExactReads
{
    /// <summary>The query to run instead of <paramref name="sql"/>: the same rows and columns, read without loss.</summary>
    Task<string> ExactQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken);
}
