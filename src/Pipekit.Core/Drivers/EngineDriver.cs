using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The shape most drivers share: one dialect, a provider connection opened from a connection string, and a
/// bulk writer that needs that provider's connection type. A driver supplies the differences.
/// </summary>
internal abstract class EngineDriver<TConnection, TDialect> : IDriver
    where TConnection : DbConnection
    where TDialect : ISqlDialect
{
    protected EngineDriver(TDialect dialect)
    {
        Dialect = dialect;
    }

    public abstract string Kind { get; }

    public abstract IReadOnlyList<string> Schemes { get; }

    public abstract string BulkPath { get; }

    protected TDialect Dialect { get; }

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrWhiteSpace(dialectName) || dialectName.Equals(Dialect.Name, StringComparison.OrdinalIgnoreCase)
            ? Dialect
            : throw new DriverException($"the {Kind} driver speaks only the '{Dialect.Name}' dialect, not '{dialectName}'; remove the dialect setting");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = CreateConnection(connection);
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
        CreateBulkWriter(
            connection as TConnection ?? throw new ArgumentException($"the {Kind} bulk writer needs a {typeof(TConnection).Name}", nameof(connection)),
            target);

    public virtual string DescribeServer(DbConnection connection) => $"{Kind} {connection.ServerVersion}";

    public virtual CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>A new, unopened provider connection; a bad connection string throws a <see cref="DriverException"/>.</summary>
    protected abstract TConnection CreateConnection(ResolvedConnection connection);

    protected abstract IBulkWriter CreateBulkWriter(TConnection connection, BulkWriteTarget target);
}
