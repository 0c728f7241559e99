namespace Pipekit.Core.Connections;

/// <summary>
/// A named database connection as stored in the <c>connection</c> table (seed 002 "Connections and credentials").
/// <see cref="Password"/> is empty or a <c>$NAME</c> secret reference; a literal password is never stored.
/// </summary>
public sealed record ConnectionRecord
{
    public long Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Driver kind: postgres, sqlserver, duckdb, sqlite, mysql, odbc.</summary>
    public required string Driver { get; init; }
    /// <summary>A URI (<c>postgres://…</c>) or a native ADO.NET connection string.</summary>
    public required string Url { get; init; }
    public string? Username { get; init; }
    /// <summary>Empty, or a <c>$NAME</c> reference resolved through the secrets store.</summary>
    public string? Password { get; init; }
    /// <summary>SQL dialect override (e.g. <c>db2i</c> for an ODBC connection to DB2 for i); null means the driver's own.</summary>
    public string? Dialect { get; init; }
    public long? DefaultDestConnectionId { get; init; }
    public string? DefaultDestSchema { get; init; }
    public string? Notes { get; init; }
    /// <summary>Secrets scope used when resolving <see cref="Password"/>; null means <c>[global]</c>.</summary>
    public string? Project { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
