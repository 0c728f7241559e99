using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Modules;

/// <summary>A module's destination engine as the save-time checks see it: its name for messages and its DDL capabilities.</summary>
public sealed record DestinationEngine(string Name, IDdlDialect Ddl)
{
    /// <summary>The engine's name as users know it, from a driver kind (<c>postgres</c> → PostgreSQL).</summary>
    public static string NameOf(string driverKind, string? dialect = null) => driverKind switch
    {
        "postgres" => "PostgreSQL",
        "sqlite" => "SQLite",
        "duckdb" => "DuckDB",
        "mysql" => "MySQL/MariaDB",
        "sqlserver" => "SQL Server",
        "odbc" => dialect is null ? "ODBC" : $"ODBC ({dialect})",
        _ => driverKind,
    };

    /// <summary>Why this engine cannot run <paramref name="mode"/> atomically, or null when it can.</summary>
    public string? FullLoadProblem(FullLoad mode)
    {
        if (mode == FullLoad.Direct && !Ddl.DirectLoad)
            return $"'direct' is not available on {Name} destinations: its bulk writer cannot load inside the transaction that empties the table; use \"staging\"";
        if (mode != FullLoad.Swap) return null;
        var probe = new TableName("t", "s");
        if (Ddl.CreateReplacement(probe, probe) is not null && Ddl.SwapIn(probe, probe, probe) is not null) return null;
        var readers = Ddl.TransactionalTruncate || Name == "SQLite"
            ? $" (on {Name}, readers keep reading the last committed rows while a \"direct\" load runs, so \"direct\" gives what swap would)"
            : "";
        return $"'swap' is not available on {Name} destinations: {Name} cannot rename a loaded table into place in one atomic step with its indexes and constraints; use \"direct\" or \"staging\"{readers}";
    }
}
