namespace Pipekit.Core.Drivers;

/// <summary>
/// A built-in driver known by its kind and URI schemes before it is constructed: a command constructs only the drivers
/// of the connections it opens, so a PostgreSQL run never loads the SQL Server, MySQL or DuckDB providers.
/// <paramref name="IsNetworkServer"/>: its connections reach a server over the network (not a file, not ODBC), so
/// opening one may overlap other work without two opens of one file racing.
/// </summary>
internal sealed record DriverEntry(string Kind, IReadOnlyList<string> Schemes, Func<IDriver> Create, bool IsNetworkServer = false);
