using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>MySQL and MariaDB through MySqlConnector: <c>mysql://</c>, <c>mariadb://</c> or a native string.</summary>
internal sealed class MySqlDriver(MySqlBulkWriterOptions? writerOptions = null) : EngineDriver<MySqlConnection, MySqlDialect>(new MySqlDialect()), IExactReads
{
    private readonly MySqlBulkWriterOptions _writerOptions = writerOptions ?? new();

    public override string Kind => "mysql";

    public override IReadOnlyList<string> Schemes => MySqlConnectionSettings.Schemes;

    public override string BulkPath => "LOAD DATA LOCAL INFILE via MySqlBulkCopy (server needs local_infile=1), else multi-row INSERT; one transaction";

    protected override IReadOnlyList<string> DialectNames { get; } = ["mysql", "mariadb"];

    protected override MySqlConnection CreateConnection(ResolvedConnection connection) => new(MySqlConnectionSettings.Build(connection).ConnectionString);

    protected override async Task PrepareSessionAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var setup = new MySqlCommand(MySqlDialect.SessionSetup, connection);
        await setup.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>DECIMAL columns wider than 28 digits are read as exact text (MySqlConnector's System.Decimal would round them).</summary>
    public Task<string> ExactQueryAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        MySqlExactQuery.RewriteAsync((MySqlConnection)connection, transaction as MySqlTransaction, sql, cancellationToken);

    protected override Exception? CannotOpen(ResolvedConnection connection, Exception error)
    {
        if (error is not MySqlException) return null;
        var settings = MySqlConnectionSettings.Build(connection);
        var why = MessageScrubber.Scrub(error.Message, settings.Password);
        return new DriverException($"cannot connect to {connection} at {MySqlConnectionSettings.Describe(settings)}: {why}", error);
    }

    protected override IBulkWriter CreateBulkWriter(MySqlConnection connection, BulkWriteTarget target) =>
        new MySqlBulkWriter(connection, target, Dialect, _writerOptions);

    // Number 0 is MySqlConnector's own client-side failure (a read on a dropped connection); what caused it decides.
    protected override bool? IsTransientError(Exception exception) => exception switch
    {
        MySqlException { Number: 0 } => null,
        MySqlException mysql => MySqlTransientErrors.IsTransient(mysql.Number),
        _ => null,
    };
}
