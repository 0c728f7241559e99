using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Drivers.SqlServer;

namespace Pipekit.Core.Drivers;

/// <summary>The list of drivers compiled into Pipekit. Each engine folder adds its own line.</summary>
internal static class BuiltInDrivers
{
    public static IEnumerable<IDriver> All()
    {
        yield return new MySqlDriver();
        yield return new SqlServerDriver();
    }
}
