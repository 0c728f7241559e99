using System.Data.Common;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>PostgreSQL through Npgsql; bulk loads use binary COPY.</summary>
internal sealed class PostgresDriver() : EngineDriver<NpgsqlConnection, PostgresDialect>(new PostgresDialect())
{
    public override string Kind => "postgres";

    public override IReadOnlyList<string> Schemes { get; } = ["postgres", "postgresql"];

    public override string BulkPath => "binary COPY (Npgsql binary import)";

    /// <summary><c>PostgreSQL 15.4</c>: Npgsql reports the server_version setting, which may carry a distribution suffix.</summary>
    public override string DescribeServer(DbConnection connection)
    {
        var version = connection.ServerVersion;
        var space = version.IndexOf(' ');
        return "PostgreSQL " + (space > 0 ? version[..space] : version);
    }

    protected override NpgsqlConnection CreateConnection(ResolvedConnection connection) => new(PostgresConnectionString.Build(connection));

    protected override IBulkWriter CreateBulkWriter(NpgsqlConnection connection, BulkWriteTarget target) => new PostgresBulkWriter(connection, target, Dialect);
}
