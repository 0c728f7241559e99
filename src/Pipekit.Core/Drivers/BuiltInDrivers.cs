using Pipekit.Core.Drivers.Db2i;
using Pipekit.Core.Drivers.DuckDb;
using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Drivers.Odbc;
using Pipekit.Core.Drivers.Parquet;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Drivers.Sqlite;
using Pipekit.Core.Drivers.SqlServer;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The list of drivers compiled into Pipekit. Each engine folder adds its own line: the kind and URI schemes (which
/// <see cref="DriverRegistry"/> checks against the driver once it is built) and how to build it.
/// </summary>
internal static class BuiltInDrivers
{
    public static IEnumerable<DriverEntry> All()
    {
        yield return new DriverEntry("postgres", ["postgres", "postgresql"], () => new PostgresDriver(), IsNetworkServer: true);
        yield return new DriverEntry("duckdb", ["duckdb"], () => new DuckDbDriver());
        yield return new DriverEntry("parquet", ["parquet"], () => new ParquetDriver());
        yield return new DriverEntry("sqlite", ["sqlite"], () => new SqliteDriver());
        yield return new DriverEntry("mysql", ["mysql", "mariadb"], () => new MySqlDriver(), IsNetworkServer: true);
        yield return new DriverEntry("sqlserver", ["sqlserver", "mssql"], () => new SqlServerDriver(), IsNetworkServer: true);
        yield return new DriverEntry("odbc", ["odbc"], () => new OdbcDriver(OdbcDialects()));
    }

    /// <summary>
    /// The dialects a connection of driver <c>odbc</c> may name with <c>dialect = "…"</c>; db2i is the
    /// default. The one place to add the other engines' dialects as they land.
    /// </summary>
    private static IEnumerable<ISqlDialect> OdbcDialects()
    {
        yield return new Db2iDialect();
        yield return new PostgresDialect();
        yield return new SqliteDialect();
        yield return new DuckDbDialect();
        yield return new MySqlDialect();
        yield return new SqlServerDialect();
    }
}
