using System.Data.Common;
using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>MySQL and MariaDB through MySqlConnector: <c>mysql://</c>, <c>mariadb://</c> or a native string.</summary>
internal sealed class MySqlDriver(MySqlBulkWriterOptions? writerOptions = null) : IDriver
{
    private readonly MySqlDialect _dialect = new();
    private readonly MySqlBulkWriterOptions _writerOptions = writerOptions ?? new();

    public string Kind => "mysql";

    public IReadOnlyList<string> Schemes => MySqlConnectionSettings.Schemes;

    public string BulkPath => "LOAD DATA LOCAL INFILE via MySqlBulkCopy (server needs local_infile=1), else multi-row INSERT; one transaction";

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrEmpty(dialectName) || dialectName.Equals("mysql", StringComparison.OrdinalIgnoreCase) || dialectName.Equals("mariadb", StringComparison.OrdinalIgnoreCase)
            ? _dialect
            : throw new DriverException($"the mysql driver speaks the mysql dialect, not '{dialectName}'");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        var settings = MySqlConnectionSettings.Build(connection);
        var conn = new MySqlConnection(settings.ConnectionString);
        try
        {
            await conn.OpenAsync(cancellationToken);
            await using var setup = new MySqlCommand(MySqlDialect.SessionSetup, conn);
            await setup.ExecuteNonQueryAsync(cancellationToken);
            return conn;
        }
        catch (MySqlException e)
        {
            await conn.DisposeAsync();
            var why = MessageScrubber.Scrub(e.Message, settings.Password);
            throw new DriverException($"cannot connect to {connection} at {MySqlConnectionSettings.Describe(settings)}: {why}", e);
        }
        catch (Exception)
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target) =>
        connection is MySqlConnection mysql
            ? new MySqlBulkWriter(mysql, target, _dialect, _writerOptions)
            : throw new ArgumentException($"the mysql driver writes through a MySqlConnection, not a {connection.GetType().Name}", nameof(connection));
}
