using Microsoft.Data.SqlClient;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>SQL Server through Microsoft.Data.SqlClient: <c>sqlserver://</c>, <c>mssql://</c> or a native string.</summary>
internal sealed class SqlServerDriver(SqlServerBulkWriterOptions? writerOptions = null) : EngineDriver<SqlConnection, SqlServerDialect>(new SqlServerDialect())
{
    private readonly SqlServerBulkWriterOptions _writerOptions = writerOptions ?? new();

    public override string Kind => "sqlserver";

    public override IReadOnlyList<string> Schemes => SqlServerConnectionSettings.Schemes;

    public override string BulkPath => "SqlBulkCopy, streaming, in one transaction";

    protected override IReadOnlyList<string> DialectNames { get; } = ["sqlserver", "mssql"];

    protected override SqlConnection CreateConnection(ResolvedConnection connection) => new(SqlServerConnectionSettings.Build(connection).ConnectionString);

    protected override Exception? CannotOpen(ResolvedConnection connection, Exception error)
    {
        if (error is SqlException)
        {
            var settings = SqlServerConnectionSettings.Build(connection);
            var why = MessageScrubber.Scrub(error.Message, settings.Password).ReplaceLineEndings(" ");
            return new DriverException($"cannot connect to {connection} at {SqlServerConnectionSettings.Describe(settings)}: {why}", error);
        }
        if (error is NotSupportedException && GlobalizationIsInvariant())
            return new DriverException(
                $"cannot connect to {connection}: SqlClient needs ICU, but this process runs in globalization-invariant mode; " +
                "install libicu and unset DOTNET_SYSTEM_GLOBALIZATION_INVARIANT (or InvariantGlobalization in the build)", error);
        return null;
    }

    protected override IBulkWriter CreateBulkWriter(SqlConnection connection, BulkWriteTarget target) =>
        new SqlServerBulkWriter(connection, target, Dialect, _writerOptions);

    // Number 0 is a client-side network failure (SqlClient's "TCP Provider, error: 35"); what caused it decides.
    protected override bool? IsTransientError(Exception exception) => exception switch
    {
        SqlException sql when SqlServerTransientErrors.IsTransient(sql.Errors.Cast<SqlError>().Select(e => e.Number).Append(sql.Number)) => true,
        SqlException { Number: 0 } => null,
        SqlException => false,
        _ => null,
    };

    // the two places SqlClient looks before refusing to connect without ICU
    private static bool GlobalizationIsInvariant() =>
        (AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant)
        || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT") is "1" or "true";
}
