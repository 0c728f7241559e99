using Pipekit.Core.Drivers.DuckDb;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Drivers.Sqlite;

namespace Pipekit.Core.Drivers;

/// <summary>The list of drivers compiled into Pipekit. Each engine folder adds its own line.</summary>
internal static class BuiltInDrivers
{
    public static IEnumerable<IDriver> All()
    {
        yield return new PostgresDriver();
        yield return new DuckDbDriver();
        yield return new SqliteDriver();
    }
}
