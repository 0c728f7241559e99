namespace Pipekit.Core.Drivers.Postgres;

/// <summary>The PostgreSQL SQLSTATEs worth a retry; every other server error (syntax, missing column, constraint) is terminal.</summary>
internal static class PostgresTransientErrors
{
    public static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception class
        || sqlState is
            "40001"    // serialization_failure
            or "40P01" // deadlock_detected
            or "55P03" // lock_not_available (lock_timeout)
            or "53300" // too_many_connections
            or "57P01" // admin_shutdown
            or "57P02" // crash_shutdown
            or "57P03"; // cannot_connect_now (starting up, in recovery)
}
