namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// The ODBC SQLSTATEs worth a retry, whatever database is behind the driver: the connection class (08xxx),
/// serialization failure or deadlock (40001), and timeouts (HYT00, HYT01). An error is transient when any of its
/// diagnostic records is.
/// </summary>
internal static class OdbcTransientErrors
{
    public static bool IsTransient(IEnumerable<string> sqlStates) => sqlStates.Any(IsTransient);

    public static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "40001" or "40P01" or "HYT00" or "HYT01";
}
