namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// The SQL Server (and Azure SQL) error numbers worth a retry. One SqlException carries several errors; it is transient
/// when any of them is, since a deadlock victim or a dropped connection is often reported beside follow-on errors.
/// </summary>
internal static class SqlServerTransientErrors
{
    public static bool IsTransient(IEnumerable<int> numbers) => numbers.Any(IsTransient);

    public static bool IsTransient(int number) => number is
        -2        // client timeout expired
        or 20     // the instance does not support encryption / connection dropped during login
        or 64     // the specified network name is no longer available
        or 233    // no process on the other end of the pipe
        or 1204   // the instance cannot obtain a lock resource
        or 1205   // deadlock victim
        or 1222   // lock request timeout
        or 4060   // cannot open the database requested by the login (often mid-failover)
        or 4221   // login to a read-secondary failed during redo
        or 10053 or 10054 or 10060 or 10061 // transport-level connection aborted, reset, timed out, refused
        or 10928 or 10929 // Azure SQL resource limits
        or 40143 or 40197 or 40501 or 40540 or 40613 // Azure SQL: service busy, reconfiguring, database unavailable
        or 49918 or 49919 or 49920; // Azure SQL: not enough resources for the request
}
