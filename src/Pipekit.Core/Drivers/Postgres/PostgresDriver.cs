using System.Data.Common;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// PostgreSQL through Npgsql; bulk loads use binary COPY, and a PostgreSQL source whose result types match the
/// destination's columns is piped across as raw COPY bytes (<see cref="IRawCopy"/>).
/// </summary>
internal sealed class PostgresDriver() : EngineDriver<NpgsqlConnection, PostgresDialect>(new PostgresDialect()), IRawCopy, IExactReads
{
    public override string Kind => "postgres";

    public override IReadOnlyList<string> Schemes { get; } = ["postgres", "postgresql"];

    public override string BulkPath => "binary COPY (Npgsql binary import); raw COPY bytes from a PostgreSQL source with matching types";

    /// <summary><c>PostgreSQL 15.4</c>: Npgsql reports the server_version setting, which may carry a distribution suffix.</summary>
    public override string DescribeServer(DbConnection connection)
    {
        var version = connection.ServerVersion;
        var space = version.IndexOf(' ');
        return "PostgreSQL " + (space > 0 ? version[..space] : version);
    }

    // Not async itself: one awaited layer fewer, whose state machine the JIT would compile in every process.
    public Task<long?> TryRawCopyAsync(RawCopyRequest request, IProgress<long> rowsWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Source is not NpgsqlConnection from || request.Destination is not NpgsqlConnection to) return Task.FromResult<long?>(null);
        var copy = new PostgresRawCopy(from, request.SourceTransaction as NpgsqlTransaction, request.Sql, to, Dialect);
        return copy.TryTransferAsync(request.Target, rowsWritten, cancellationToken);
    }

    /// <summary>
    /// numeric columns that may be wider than 28 digits, and interval columns, are read as exact text (Npgsql's
    /// System.Decimal would refuse the wide ones, its TimeSpan an interval with months).
    /// </summary>
    public Task<string> ExactQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        PostgresExactQuery.RewriteAsync((NpgsqlConnection)connection, transaction as NpgsqlTransaction, sql, cancellationToken);

    protected override NpgsqlConnection CreateConnection(ResolvedConnection connection) => new(PostgresConnectionString.Build(connection));

    protected override IBulkWriter CreateBulkWriter(NpgsqlConnection connection, BulkWriteTarget target) => new PostgresBulkWriter(connection, target, Dialect);

    protected override bool? IsTransientError(Exception exception) => exception switch
    {
        PostgresException server => PostgresTransientErrors.IsTransient(server.SqlState),
        // Npgsql's own judgement of a client-side failure: true for I/O, socket and timeout errors.
        NpgsqlException client => client.IsTransient,
        _ => null,
    };
}
