using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>SQL Server through Microsoft.Data.SqlClient: <c>sqlserver://</c>, <c>mssql://</c> or a native string.</summary>
internal sealed class SqlServerDriver(SqlServerBulkWriterOptions? writerOptions = null) : IDriver
{
    private readonly SqlServerDialect _dialect = new();
    private readonly SqlServerBulkWriterOptions _writerOptions = writerOptions ?? new();

    public string Kind => "sqlserver";

    public IReadOnlyList<string> Schemes => SqlServerConnectionSettings.Schemes;

    public string BulkPath => "SqlBulkCopy, streaming, in one transaction";

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrEmpty(dialectName) || dialectName.Equals("sqlserver", StringComparison.OrdinalIgnoreCase) || dialectName.Equals("mssql", StringComparison.OrdinalIgnoreCase)
            ? _dialect
            : throw new DriverException($"the sqlserver driver speaks the sqlserver dialect, not '{dialectName}'");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        var settings = SqlServerConnectionSettings.Build(connection);
        var conn = new SqlConnection(settings.ConnectionString);
        try
        {
            await conn.OpenAsync(cancellationToken);
            return conn;
        }
        catch (SqlException e)
        {
            await conn.DisposeAsync();
            var why = MessageScrubber.Scrub(e.Message, settings.Password).ReplaceLineEndings(" ");
            throw new DriverException($"cannot connect to {connection} at {SqlServerConnectionSettings.Describe(settings)}: {why}", e);
        }
        catch (NotSupportedException e) when (GlobalizationIsInvariant())
        {
            await conn.DisposeAsync();
            throw new DriverException(
                $"cannot connect to {connection}: SqlClient needs ICU, but this process runs in globalization-invariant mode; " +
                "install libicu and unset DOTNET_SYSTEM_GLOBALIZATION_INVARIANT (or InvariantGlobalization in the build)", e);
        }
        catch (Exception)
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    // the two places SqlClient looks before refusing to connect without ICU
    private static bool GlobalizationIsInvariant() =>
        (AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant)
        || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT") is "1" or "true";

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target) =>
        connection is SqlConnection sql
            ? new SqlServerBulkWriter(sql, target, _dialect, _writerOptions)
            : throw new ArgumentException($"the sqlserver driver writes through a SqlConnection, not a {connection.GetType().Name}", nameof(connection));
}
