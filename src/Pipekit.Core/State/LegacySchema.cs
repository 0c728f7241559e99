using System.Data.Common;
using Dapper;

namespace Pipekit.Core.State;

/// <summary>
/// Stores made before each part owned its schema kept one list of versions 1-6 in <c>schema_version</c>, with
/// Core's migrations creating Sync's tables. Such a store is adopted in place, in one transaction: any of those six
/// steps it lacks is applied from the copies kept here, schedules are reshaped to name a (kind, id) target, and
/// <c>schema_version</c> is rewritten to say what the store now is: core 1 and sync 1. Every row stays.
/// </summary>
internal static class LegacySchema
{
    private const string Prefix = "Pipekit.Core.Legacy.";
    private const int LastVersion = 6;

    /// <summary>True when <paramref name="versionColumns"/> (those of <c>schema_version</c>) are the legacy table's.</summary>
    public static bool IsLegacy(IReadOnlySet<string> versionColumns) => versionColumns.Count > 0 && !versionColumns.Contains("part");

    /// <summary>Checks the legacy store's applied steps against the copies kept here, without changing anything.</summary>
    public static async Task VerifyAsync(DbConnection connection, string location, CancellationToken cancellationToken)
    {
        var steps = Steps();
        foreach (var row in await AppliedAsync(connection, null, cancellationToken))
        {
            if (row.Version > LastVersion)
                throw new StateException(
                    $"state store {location} is at legacy schema version {row.Version}, which this pipekit does not know; upgrade pipekit");
            if (!string.Equals(steps[(int)row.Version - 1].Checksum, row.Checksum, StringComparison.Ordinal))
                throw new StateException(
                    $"legacy migration {steps[(int)row.Version - 1].FileName} was changed after it was applied to {location} (checksum differs); restore the store from a backup");
        }
    }

    /// <summary>Adopts a verified legacy SQLite store; <paramref name="baselines"/> are the migrations it now counts as applied.</summary>
    public static async Task AdoptAsync(DbConnection connection, string location, IReadOnlyList<Migration> baselines, string appliedAt,
        CancellationToken cancellationToken)
    {
        await VerifyAsync(connection, location, cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var applied = await AppliedAsync(connection, tx, cancellationToken);
        var current = applied.Count == 0 ? 0 : (int)applied[^1].Version;
        try
        {
            foreach (var step in Steps().Skip(current))
                await connection.ExecuteAsync(new CommandDefinition(step.Sql, transaction: tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(Read(Checksums(), Prefix + "adopt.sqlite.sql").Sql, transaction: tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("DROP TABLE schema_version", transaction: tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(Migrator.CreateVersionTable, transaction: tx, cancellationToken: cancellationToken));
            foreach (var baseline in baselines)
                await connection.ExecAsync(Migrator.RecordApplied, Migrator.RecordArgs(baseline, appliedAt), tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            throw new StateException($"upgrading the state store {location} from legacy schema version {current} failed: {ex.Message}; it is left as it was", ex);
        }
    }

    private static async Task<List<(long Version, string Checksum)>> AppliedAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long Version, string Checksum)>(new CommandDefinition(
            "SELECT version, checksum FROM schema_version ORDER BY version", transaction: tx, cancellationToken: cancellationToken))).ToList();

    private static List<Migration> Steps()
    {
        var assembly = typeof(LegacySchema).Assembly;
        var checksums = Checksums();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && char.IsAsciiDigit(n[Prefix.Length]))
            .Order(StringComparer.Ordinal)
            .Select((resource, i) =>
            {
                var file = resource[Prefix.Length..^".sql".Length];
                var text = Read(checksums, resource);
                return new Migration("legacy", i + 1, file[(file.IndexOf('_') + 1)..], text.Sql, text.Checksum);
            })
            .ToList();
    }

    private static MigrationChecksums Checksums() => MigrationChecksums.Of(typeof(LegacySchema).Assembly);

    // The text, and the checksum src/Directory.Build.targets computed for it, as for the parts' migrations.
    private static MigrationChecksums.EmbeddedSql Read(MigrationChecksums checksums, string resource) =>
        checksums.Read(typeof(LegacySchema).Assembly, resource);
}
