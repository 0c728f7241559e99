namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>
/// The ODBC driver libraries the tests load by path, so they need no odbcinst.ini entries
/// (Debian packages: libsqliteodbc, odbc-postgresql; unixODBC from unixodbc).
/// </summary>
internal static class OdbcTestDrivers
{
    public const string Sqlite = "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so";
    public const string Postgres = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";
    public const string DriverManager = "/usr/lib/x86_64-linux-gnu/libodbc.so.2";

    public static string? Missing(string driver, string package)
    {
        if (!File.Exists(DriverManager)) return $"unixODBC not found at {DriverManager} (apt-get install unixodbc)";
        return File.Exists(driver) ? null : $"ODBC driver not found at {driver} (apt-get install {package})";
    }
}
