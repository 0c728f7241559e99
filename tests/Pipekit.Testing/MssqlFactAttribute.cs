using Xunit;

namespace Pipekit.Testing;

/// <summary>
/// A fact that needs a real SQL Server, which cannot run on this machine: it runs only when
/// <c>PIPEKIT_TEST_MSSQL</c> holds a <c>sqlserver://</c> URI, and is skipped with that reason otherwise.
/// </summary>
public sealed class MssqlFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "PIPEKIT_TEST_MSSQL";

    public MssqlFactAttribute()
    {
        if (Uri is null) Skip = "set PIPEKIT_TEST_MSSQL to a sqlserver:// URI to run SQL Server integration tests";
    }

    /// <summary>The SQL Server URI to test against, or null.</summary>
    public static string? Uri =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } uri ? uri : null;
}
