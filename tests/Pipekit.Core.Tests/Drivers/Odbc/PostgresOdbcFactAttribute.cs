using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>A fact that needs the throwaway PostgreSQL cluster and psqlodbc; skipped with the reason when either is absent.</summary>
public sealed class PostgresOdbcFactAttribute : FactAttribute
{
    public PostgresOdbcFactAttribute()
    {
        if (PostgresCluster.UnavailableReason is { } reason) Skip = reason;
        else if (OdbcTestDrivers.Missing(OdbcTestDrivers.Postgres, "odbc-postgresql") is { } missing) Skip = missing;
    }
}
