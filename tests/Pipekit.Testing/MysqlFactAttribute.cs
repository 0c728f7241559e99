using Xunit;

namespace Pipekit.Testing;

/// <summary>
/// A fact that needs a real MySQL server (MariaDB stands in for it elsewhere), which cannot run on this machine: it
/// runs only when <c>PIPEKIT_TEST_MYSQL</c> holds a <c>mysql://</c> URI of a scratch database, and is skipped with
/// that reason otherwise.
/// </summary>
public sealed class MysqlFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "PIPEKIT_TEST_MYSQL";

    public MysqlFactAttribute()
    {
        if (Uri is null) Skip = "no MySQL server can run here (MariaDB covers the mysql driver); set PIPEKIT_TEST_MYSQL to a mysql:// URI of a scratch database to run MySQL's pairs";
    }

    /// <summary>The MySQL URI to test against, or null.</summary>
    public static string? Uri =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } uri ? uri : null;
}
