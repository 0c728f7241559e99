using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>A fact that needs unixODBC and the SQLite ODBC driver; skipped with the reason when they are absent.</summary>
public sealed class SqliteOdbcFactAttribute : FactAttribute
{
    public SqliteOdbcFactAttribute()
    {
        if (OdbcTestDrivers.Missing(OdbcTestDrivers.Sqlite, "libsqliteodbc") is { } reason) Skip = reason;
    }
}
