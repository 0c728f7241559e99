using Dapper;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.State;

/// <summary>
/// Applies numbered migrations, each in its own transaction, and records them in <c>schema_version</c>
/// with a checksum. Refuses a database whose applied migrations were edited, or that is newer than
/// this binary.
/// </summary>
public sealed class Migrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;

    public Migrator(IReadOnlyList<Migration> migrations, TimeProvider time)
    {
        _migrations = migrations;
        _time = time;
    }

    /// <summary>The migrations compiled into this binary.</summary>
    public static Migrator Embedded(TimeProvider time) => new(EmbeddedMigrations.Load(), time);

    public int LatestVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>Checks applied migrations against this binary without changing anything.</summary>
    public async Task<SchemaStatus> GetStatusAsync(SqliteConnection connection, string databasePath, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'", cancellationToken: cancellationToken));
        var applied = exists == 0
            ? []
            : (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
                "SELECT version AS Version, name AS Name, checksum AS Checksum FROM schema_version ORDER BY version",
                cancellationToken: cancellationToken))).ToList();

        foreach (var row in applied)
        {
            if (row.Version > LatestVersion)
                throw new StateException(
                    $"state database {databasePath} is at schema version {applied[^1].Version}, newer than this pipekit (knows up to {LatestVersion}); upgrade pipekit or point --config/PIPEKIT_HOME at another store");
            var known = _migrations[(int)row.Version - 1];
            if (!string.Equals(known.Checksum, row.Checksum, StringComparison.Ordinal))
                throw new StateException(
                    $"migration {known.FileName} was changed after it was applied to {databasePath} (checksum differs); restore the original file and add a new migration instead");
        }
        var current = applied.Count == 0 ? 0 : (int)applied[^1].Version;
        return new SchemaStatus(current, LatestVersion, _migrations.Where(m => m.Version > current).ToList());
    }

    /// <summary>Verifies the store and applies pending migrations; returns the ones applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(SqliteConnection connection, string databasePath, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateVersionTable, cancellationToken: cancellationToken));
        var status = await GetStatusAsync(connection, databasePath, cancellationToken);
        foreach (var migration in status.Pending)
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                    new { migration.Version, migration.Name, migration.Checksum, AppliedAt = StateClock.Format(_time.GetUtcNow()) },
                    tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new StateException($"migration {migration.FileName} failed on {databasePath}: {ex.Message}; the store is left at version {migration.Version - 1}", ex);
            }
        }
        return status.Pending;
    }

    private sealed record AppliedMigration(long Version, string Name, string Checksum);
}
