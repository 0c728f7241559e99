namespace Pipekit.Core.Drivers.MySql;

/// <summary>The MySQL and MariaDB error numbers worth a retry; every other server or client error is terminal.</summary>
internal static class MySqlTransientErrors
{
    public static bool IsTransient(int number) => number is
        1205    // ER_LOCK_WAIT_TIMEOUT
        or 1213 // ER_LOCK_DEADLOCK
        or 1040 // ER_CON_COUNT_ERROR: too many connections
        or 1042 // unable to connect to any of the hosts (MySqlConnector's code for a refused or unreachable server)
        or 1053 // ER_SERVER_SHUTDOWN
        or 1927 // ER_CONNECTION_KILLED (MariaDB)
        or 2002 // CR_CONNECTION_ERROR
        or 2003 // CR_CONN_HOST_ERROR
        or 2006 // CR_SERVER_GONE_ERROR
        or 2013 // CR_SERVER_LOST
        or 4031; // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
}
