using System.Data.Common;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>PostgreSQL through Npgsql; bulk loads use binary COPY.</summary>
internal sealed class PostgresDriver : IDriver
{
    private readonly PostgresDialect _dialect = new();

    public string Kind => "postgres";

    public IReadOnlyList<string> Schemes { get; } = ["postgres", "postgresql"];

    public string BulkPath => "binary COPY (Npgsql binary import)";

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrWhiteSpace(dialectName) || dialectName.Equals(_dialect.Name, StringComparison.OrdinalIgnoreCase)
            ? _dialect
            : throw new DriverException($"the postgres driver speaks only the 'postgres' dialect, not '{dialectName}'; remove the dialect setting");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = new NpgsqlConnection(PostgresConnectionString.Build(connection));
        try
        {
            await db.OpenAsync(cancellationToken);
            return db;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await db.DisposeAsync();
            throw ConnectionErrors.CannotOpen(connection, ex);
        }
    }

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target) =>
        new PostgresBulkWriter(
            connection as NpgsqlConnection ?? throw new ArgumentException("the postgres bulk writer needs an Npgsql connection", nameof(connection)),
            target,
            _dialect);

    /// <summary><c>PostgreSQL 15.4</c>: Npgsql reports the server_version setting, which may carry a distribution suffix.</summary>
    public string DescribeServer(DbConnection connection)
    {
        var version = connection.ServerVersion;
        var space = version.IndexOf(' ');
        return "PostgreSQL " + (space > 0 ? version[..space] : version);
    }
}
