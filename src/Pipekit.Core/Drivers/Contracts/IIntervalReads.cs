using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: the engine holds intervals as months, days and microseconds, which its provider cannot read as
/// a TimeSpan once months are set, so the driver rewrites a query to return its interval columns as their three parts'
/// text (<c>14 months -3 days 14706789012 microseconds</c>), computed by the engine itself. PostgreSQL and DuckDB spell
/// the same interval alike this way, which is what a comparison across engines (verify) needs; every other column comes
/// back as the query returns it.
/// </summary>
public interface IIntervalReads
{
    /// <summary>The query to run instead of <paramref name="sql"/>: the same rows and columns, interval columns as their parts' text.</summary>
    Task<string> IntervalTextQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken);
}
