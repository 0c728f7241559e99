using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// Applies each part's numbered migrations, Core's first, each in its own transaction, and records them in
/// <c>schema_version</c> as (part, version, checksum). Refuses a store whose applied migrations were edited, or
/// that is newer than this binary. A store made before parts owned their schemas is adopted first
/// (<see cref="LegacySchema"/>).
/// </summary>
public sealed class Migrator
{
    internal const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            part       TEXT NOT NULL,
            version    BIGINT NOT NULL,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (part, version)
        )
        """;

    internal const string RecordApplied =
        "INSERT INTO schema_version (part, version, name, checksum, applied_at) VALUES (@Part, @Version, @Name, @Checksum, @AppliedAt)";

    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;

    /// <summary>Migrations in the order they apply: grouped by part, each part numbered 1..N.</summary>
    public Migrator(IReadOnlyList<Migration> migrations, TimeProvider time)
    {
        _migrations = migrations;
        _time = time;
        Parts = migrations.Select(m => m.Part).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The migrations the given parts embed for one store, Core's first, then in registration order.</summary>
    public static Migrator ForParts(IEnumerable<StatePart> parts, StoreKind store, TimeProvider time)
    {
        var ordered = parts.Distinct().OrderBy(p => p.Name == StatePart.Core.Name ? 0 : 1).ToList();
        var duplicate = ordered.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two state parts are named '{duplicate.Key}'");
        return new Migrator(ordered.SelectMany(p => PartMigrations.Load(p, store)).ToList(), time);
    }

    internal TimeProvider Time => _time;

    /// <summary>The parts whose migrations this binary carries, in the order they apply.</summary>
    public IReadOnlyList<string> Parts { get; }

    /// <summary>Every migration this binary carries, in the order they apply.</summary>
    public IReadOnlyList<Migration> All => _migrations;

    /// <summary>The newest version of a part this binary knows; 0 for a part it does not carry.</summary>
    public int LatestVersion(string part) => _migrations.Where(m => m.Part == part).Select(m => m.Version).DefaultIfEmpty(0).Max();

    internal async Task<SchemaStatus> GetStatusAsync(IStateDatabase database, DbConnection connection, CancellationToken cancellationToken)
    {
        var columns = await database.ColumnsAsync(connection, "schema_version", cancellationToken);
        if (LegacySchema.IsLegacy(columns))
        {
            await LegacySchema.VerifyAsync(connection, database.Location, cancellationToken);
            return new SchemaStatus(Parts.ToDictionary(p => p, _ => 0), _migrations, Legacy: true);
        }
        var applied = columns.Count == 0 ? [] : await AppliedAsync(connection, null, cancellationToken);
        foreach (var row in applied)
        {
            var known = _migrations.FirstOrDefault(m => m.Part == row.Part && m.Version == row.Version);
            if (known is null)
                throw new StateException(LatestVersion(row.Part) == 0
                    ? $"state store {database.Location} holds tables of a part '{row.Part}' that this pipekit does not know; upgrade pipekit"
                    : $"state store {database.Location} has {row.Part} at schema version {row.Version}, newer than this pipekit (knows up to {LatestVersion(row.Part)}); upgrade pipekit or point --config/PIPEKIT_HOME at another store");
            if (!string.Equals(known.Checksum, row.Checksum, StringComparison.Ordinal))
                throw new StateException(
                    $"migration {known.FileName} was changed after it was applied to {database.Location} (checksum differs); restore the original file and add a new migration instead");
        }
        var current = Parts.ToDictionary(p => p, p => applied.Where(a => a.Part == p).Select(a => (int)a.Version).DefaultIfEmpty(0).Max(), StringComparer.Ordinal);
        return new SchemaStatus(current, _migrations.Where(m => m.Version > current[m.Part]).ToList());
    }

    /// <summary>Verifies the store, adopts a legacy one, and applies pending migrations; returns the ones applied.</summary>
    internal async Task<IReadOnlyList<Migration>> MigrateAsync(IStateDatabase database, DbConnection connection, CancellationToken cancellationToken)
    {
        var status = await GetStatusAsync(database, connection, cancellationToken);
        if (status.Legacy)
        {
            var baselines = new[] { StatePart.Core.Name, "sync" }
                .Select(part => _migrations.FirstOrDefault(m => m.Part == part && m.Version == 1)
                    ?? throw new StateException($"state store {database.Location} was made by an older pipekit and holds Sync's tables; open it with a pipekit that includes Sync"))
                .ToList();
            await LegacySchema.AdoptAsync(connection, database.Location, baselines, Now(), cancellationToken);
            status = await GetStatusAsync(database, connection, cancellationToken);
        }
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Under the migration lock: two processes creating the table at once would collide in PostgreSQL's catalog.
            await database.LockForMigrationAsync(connection, tx, cancellationToken);
            await connection.ExecAsync(CreateVersionTable, null, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        var applied = new List<Migration>();
        foreach (var migration in status.Pending)
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await database.LockForMigrationAsync(connection, tx, cancellationToken);
                // Another process may have applied it between the status read and this transaction.
                var done = await connection.Int64Async("SELECT count(*) FROM schema_version WHERE part = @part AND version = @version",
                    new StateArgs { { "part", migration.Part }, { "version", migration.Version } }, tx, cancellationToken);
                if (done > 0) continue;
                await connection.ExecAsync(migration.Sql, null, tx, cancellationToken);
                await connection.ExecAsync(RecordApplied, RecordArgs(migration, Now()), tx, cancellationToken);
                await tx.CommitAsync(cancellationToken);
                applied.Add(migration);
            }
            catch (DbException ex)
            {
                throw new StateException(
                    $"migration {migration.FileName} failed on {database.Location}: {ex.Message}; {migration.Part} is left at version {migration.Version - 1}", ex);
            }
        }
        return applied;
    }

    private string Now() => StateClock.Format(_time.GetUtcNow());

    /// <summary>The parameters of <see cref="RecordApplied"/>.</summary>
    internal static StateArgs RecordArgs(Migration migration, string appliedAt) => new()
    {
        { "Part", migration.Part }, { "Version", migration.Version }, { "Name", migration.Name }, { "Checksum", migration.Checksum }, { "AppliedAt", appliedAt },
    };

    private static Task<List<AppliedMigration>> AppliedAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken) =>
        connection.RowsAsync("SELECT part, version, checksum FROM schema_version ORDER BY part, version", null,
            r => new AppliedMigration(r.GetString(0), r.GetInt64(1), r.GetString(2)), tx, cancellationToken);

    private sealed record AppliedMigration(string Part, long Version, string Checksum);
}
