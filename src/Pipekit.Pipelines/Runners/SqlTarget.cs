using Pipekit.Core.Drivers;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// Picks the driver for a <c>[dag.sql]</c> connection string by its URI scheme (seed 000 §3): <c>sqlserver://</c> and
/// <c>mssql://</c> → SQL Server, <c>duckdb://</c> or a file path ending <c>.db</c>/<c>.duckdb</c> → DuckDB, plus
/// <c>postgres://</c>, <c>sqlite://</c> and <c>mysql://</c>. A relative DuckDB path is relative to the project
/// directory (not the run's snapshot, which is a copy).
/// </summary>
internal static class SqlTarget
{
    public static (IDriver Driver, ResolvedConnection Connection) Resolve(DriverRegistry drivers, string connectionKey, string value, string projectDirectory)
    {
        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal)
            && (text.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".duckdb", StringComparison.OrdinalIgnoreCase)))
        {
            var path = Path.GetFullPath(text, projectDirectory);
            return (drivers.Get("duckdb"), new ResolvedConnection(connectionKey, "duckdb", "duckdb://" + path, null, null, null));
        }
        var driver = drivers.FindByUrl(text);
        if (driver is null || driver.Kind == "odbc")
            throw new SqlTaskException(
                $"cannot tell the database of secret '{connectionKey}': use a sqlserver://, mssql://, duckdb://, postgres://, sqlite:// or mysql:// URI, or a path ending .db or .duckdb");
        return (driver, new ResolvedConnection(connectionKey, driver.Kind, text, null, null, null));
    }
}
