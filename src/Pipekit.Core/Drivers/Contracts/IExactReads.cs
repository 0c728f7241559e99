using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: the provider reads some column types with fewer digits than the engine holds (DuckDB.NET
/// reads DECIMAL(38,10) into a System.Decimal, rounding past 28 digits without an error), so the driver rewrites
/// the source query to return those columns in a form that keeps every digit. Drivers whose providers read every
/// value exactly, or refuse what does not fit, do not implement it.
/// </summary>
public interface IExactReads
{
    /// <summary>The query to run instead of <paramref name="sql"/>: the same rows and columns, read without loss.</summary>
    Task<string> ExactQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken);
}
