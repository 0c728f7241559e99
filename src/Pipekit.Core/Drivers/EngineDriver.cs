using System.Data.Common;
using System.Net.Sockets;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The shape every driver shares: a default dialect, a provider connection opened from a connection string, a bulk
/// writer that needs that provider's connection type, and a verdict on which provider errors are worth a retry.
/// A driver supplies the differences; optional engine paths are separate capability interfaces
/// (<see cref="IRawCopy"/>, <see cref="IStreamingReads"/>).
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

    /// <summary>The dialect names a connection may give for <see cref="Dialect"/> (e.g. <c>mysql</c> and <c>mariadb</c>).</summary>
    protected virtual IReadOnlyList<string> DialectNames => [Dialect.Name];

    public virtual ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrWhiteSpace(dialectName) || DialectNames.Contains(dialectName.Trim(), StringComparer.OrdinalIgnoreCase)
            ? Dialect
            : throw new DriverException($"the {Kind} driver speaks only the '{Dialect.Name}' dialect, not '{dialectName}'; remove the dialect setting");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = CreateConnection(connection);
        try
        {
            await db.OpenAsync(cancellationToken);
            await PrepareSessionAsync(db, connection, cancellationToken);
            return db;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await db.DisposeAsync();
            if (CannotOpen(connection, ex) is { } error) throw error;
            throw;
        }
    }

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target) =>
        CreateBulkWriter(
            connection as TConnection ?? throw new ArgumentException($"the {Kind} bulk writer needs a {typeof(TConnection).Name}, not a {connection?.GetType().Name}", nameof(connection)),
            target ?? throw new ArgumentNullException(nameof(target)));

    public virtual string DescribeServer(DbConnection connection) => $"{Kind} {connection.ServerVersion}";

    public virtual CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Walks the exception and the errors it wraps (a <see cref="DriverException"/> carries the provider's) to the first
    /// one this engine or the network can judge.
    /// </summary>
    public bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException) return false;
            if (IsTransientError(e) is { } verdict) return verdict;
            // a timeout, a refused or reset socket, a stream that ended mid-reply: the network, not the statement
            if (e is TimeoutException or SocketException or IOException) return true;
        }
        return false;
    }

    /// <summary>A new, unopened provider connection; a bad connection string throws a <see cref="DriverException"/>.</summary>
    protected abstract TConnection CreateConnection(ResolvedConnection connection);

    protected abstract IBulkWriter CreateBulkWriter(TConnection connection, BulkWriteTarget target);

    /// <summary>
    /// This engine's verdict on one exception: true for transient, false for terminal, null when it is not one of this
    /// provider's errors (so the wrapped one is looked at).
    /// </summary>
    protected abstract bool? IsTransientError(Exception exception);

    /// <summary>Session settings every connection needs once it is open (MySQL's SQL mode).</summary>
    protected virtual Task PrepareSessionAsync(TConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The session setup of a driver that needs the connection's settings (the Parquet lake's directory).</summary>
    protected virtual Task PrepareSessionAsync(TConnection connection, ResolvedConnection resolved, CancellationToken cancellationToken) =>
        PrepareSessionAsync(connection, cancellationToken);

    /// <summary>
    /// The error to throw when opening failed, naming the connection and never its password; null lets
    /// <paramref name="error"/> through as it is.
    /// </summary>
    protected virtual Exception? CannotOpen(ResolvedConnection connection, Exception error) => ConnectionErrors.CannotOpen(connection, error);
}
