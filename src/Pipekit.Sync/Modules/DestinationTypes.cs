using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Modules;

/// <summary>The type grammar of a module's destination engine, for checking <c>dest_type</c> when the module is saved.</summary>
internal static class DestinationTypes
{
    /// <summary>The destination connection's grammar; every engine's forms when the connection or its driver is unknown (its own error says so).</summary>
    public static ColumnTypeGrammar Of(ConnectionRecord? destination, DriverRegistry drivers)
    {
        if (destination is null) return ColumnTypeGrammar.Any;
        try
        {
            return drivers.Resolve(destination.Driver, destination.Url).GetDialect(destination.Dialect).Ddl.ColumnTypes;
        }
        catch (DriverException)
        {
            return ColumnTypeGrammar.Any;
        }
    }

    /// <summary>The destination connection's engine, or null when the connection or its driver is unknown (its own error says so).</summary>
    public static DestinationEngine? Engine(ConnectionRecord? destination, DriverRegistry drivers)
    {
        if (destination is null) return null;
        try
        {
            var driver = drivers.Resolve(destination.Driver, destination.Url);
            return new DestinationEngine(DestinationEngine.NameOf(driver.Kind, destination.Dialect), driver.GetDialect(destination.Dialect).Ddl);
        }
        catch (DriverException)
        {
            return null;
        }
    }
}
