using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>One database engine: how to open it, test it, speak its SQL and bulk-load into it.</summary>
public interface IDriver
{
    /// <summary>The driver kind stored on a connection: <c>postgres</c>, <c>sqlserver</c>, <c>duckdb</c>, <c>sqlite</c>, <c>mysql</c>, <c>odbc</c>.</summary>
    string Kind { get; }

    /// <summary>URI schemes this driver accepts, without <c>://</c>.</summary>
    IReadOnlyList<string> Schemes { get; }

    /// <summary>Human description of the bulk write path, for <c>pipekit drivers list</c>.</summary>
    string BulkPath { get; }

    /// <summary>The dialect for a connection; <paramref name="dialectName"/> overrides the driver's own (ODBC to DB2 for i).</summary>
    ISqlDialect GetDialect(string? dialectName);

    /// <summary>Opens a connection; the caller owns and disposes it.</summary>
    Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken);

    /// <summary>Creates a bulk writer that streams rows into an existing table on an open connection.</summary>
    IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target);

    /// <summary>
    /// The server product and version of an open connection for <c>pipekit connections test</c>, e.g.
    /// <c>PostgreSQL 15.4</c>. The default is the kind and the provider's <see cref="DbConnection.ServerVersion"/>.
    /// </summary>
    string DescribeServer(DbConnection connection) => $"{Kind} {connection.ServerVersion}";

    /// <summary>
    /// Makes <paramref name="cancellationToken"/> stop the statement running on <paramref name="connection"/>, for as
    /// long as the returned registration lives. Most providers cancel the commands they are given a token for, so the
    /// default does nothing; a provider that only checks its token between rows (SQLite, DuckDB) interrupts the connection.
    /// </summary>
    CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>
    /// True when <paramref name="exception"/> (or the provider error it wraps) is worth a retry: a refused or broken
    /// connection, a timeout, a deadlock, a serialization failure, a busy or locked database. False for a terminal
    /// error that fails the same way again (syntax, a missing column, a constraint violation) and for cancellation.
    /// </summary>
    bool IsTransient(Exception exception);
}
