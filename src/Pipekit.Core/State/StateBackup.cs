using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Core.Configuration;
using Pipekit.Core.Errors;

namespace Pipekit.Core.State;

/// <summary>
/// Backs up and restores the SQLite state store. A backup uses SQLite's online backup API, so it is a consistent copy
/// even while <c>pipekit serve</c> writes (WAL readers do not block writers); the copy is a self-contained file in
/// rollback-journal mode. A restore refuses while a server holds the <see cref="ServeLock"/>, checks the file
/// (<c>PRAGMA integrity_check</c>, a Pipekit schema this binary can open), keeps a backup of the store it replaces,
/// and swaps the file in with one rename.
/// </summary>
public sealed class StateBackup
{
    private readonly StateStore _store;
    private readonly TimeProvider _time;
    private readonly PipekitEnvironment? _environment;

    /// <param name="environment">Where a PostgreSQL store's dumps go by default (<c>$PIPEKIT_HOME/backups</c>) and its <c>[state] pg_bin_dir</c>.</param>
    public StateBackup(StateStore store, TimeProvider time, PipekitEnvironment? environment = null)
    {
        _store = store;
        _time = time;
        _environment = environment;
    }

    /// <summary>Where automatic and default backups go: <c>backups/</c> beside the state file (<c>$PIPEKIT_HOME/backups</c>).</summary>
    public static string DirectoryFor(string statePath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(statePath))!, "backups");

    /// <summary>
    /// Copies the store to <paramref name="path"/> (a new file, or a directory to put it in); null means
    /// <c>$PIPEKIT_HOME/backups/pipekit-&lt;schema versions&gt;-&lt;time&gt;.db</c>.
    /// </summary>
    public async Task<StateBackupResult> BackupAsync(string? path, CancellationToken cancellationToken)
    {
        if (_store.Postgres is { } postgres) return await DumpAsync(postgres, path, cancellationToken);
        RequireSqlite("back up");
        if (!_store.Exists) throw new NotFoundException($"there is no state store at {_store.Location} to back up; check PIPEKIT_HOME or [state] path");
        var status = await _store.GetStatusAsync(cancellationToken);
        string target;
        if (path is null) target = DefaultPath(status, "");
        else if (Directory.Exists(path)) target = Path.Combine(Path.GetFullPath(path), Path.GetFileName(DefaultPath(status, "")));
        else target = Path.GetFullPath(path);
        if (File.Exists(target)) throw new ConflictException($"backup file {target} already exists; choose another path or remove it");
        await CopyAsync(target, cancellationToken);
        return new StateBackupResult(target, new FileInfo(target).Length, status.Versions);
    }

    /// <summary>
    /// Replaces the store with <paramref name="path"/> after checking it. Refuses while a server runs on the store.
    /// </summary>
    public async Task<StateRestoreResult> RestoreAsync(string path, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(path);
        if (!File.Exists(source)) throw new NotFoundException($"backup file {source} does not exist");
        if (_store.Postgres is { } postgres)
        {
            await new PostgresStateDump(_store, postgres, _environment?.Config.State.PgBinDir).RestoreAsync(source, cancellationToken);
            var restored = await _store.GetStatusAsync(cancellationToken);
            return new StateRestoreResult(restored.Versions, "", !restored.IsCurrent);
        }
        RequireSqlite("restore");
        using var serveLock = ServeLock.TryExclusive(_store.Location)
            ?? throw new ConflictException($"a pipekit server is using {_store.Location}; stop it first (systemctl stop pipekit), then restore");

        // The candidate is checked as a copy beside the store, so the final step is one rename on one file system.
        var directory = Path.GetDirectoryName(_store.Location)!;
        Directory.CreateDirectory(directory);
        var candidate = Path.Combine(directory, $".{Path.GetFileName(_store.Location)}.restore-{Guid.NewGuid():N}");
        try
        {
            File.Copy(source, candidate, overwrite: true);
            var status = await CheckAsync(candidate, source, cancellationToken);
            var kept = _store.Exists
                ? DefaultPath(await _store.GetStatusAsync(cancellationToken), "replaced-")
                : "";
            if (kept.Length > 0)
            {
                await CopyAsync(kept, cancellationToken);
                await CheckpointAsync(cancellationToken);
            }
            SqliteConnection.ClearAllPools();
            File.Move(candidate, _store.Location, overwrite: true);
            // A journal of the replaced file must never be replayed into the restored one.
            File.Delete(_store.Location + "-wal");
            File.Delete(_store.Location + "-shm");
            return new StateRestoreResult(status.Versions, kept, !status.IsCurrent);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(candidate);
        }
    }

    /// <summary>
    /// Copies the live store to <paramref name="target"/> with the online backup API, through a sibling temporary file
    /// renamed into place, so a target that exists is always complete.
    /// </summary>
    internal async Task CopyAsync(string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            await using (var live = (SqliteConnection)await _store.OpenAsync(cancellationToken))
            await using (var copy = new SqliteConnection(Private(temp, SqliteOpenMode.ReadWriteCreate)))
            {
                await copy.OpenAsync(cancellationToken);
                live.BackupDatabase(copy);
                await copy.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE", cancellationToken: cancellationToken));
            }
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, target, overwrite: false);
        }
        catch (SqliteException ex)
        {
            throw new StateException($"backing up {_store.Location} to {target} failed: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Before a new migration touches an existing store: a copy at <c>backups/pipekit-&lt;schema versions&gt;-&lt;time&gt;.db</c>,
    /// so an upgrade that goes wrong can be undone with <c>pipekit restore</c>. Returns its path.
    /// </summary>
    internal async Task<string> BackUpBeforeUpgradeAsync(SchemaStatus status, CancellationToken cancellationToken)
    {
        var target = DefaultPath(status, "");
        try
        {
            await CopyAsync(target, cancellationToken);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another process upgrading the same store in the same second made this copy of the same schema.
        }
        return target;
    }

    // pg_dump -Fc of a PostgreSQL store, by default to $PIPEKIT_HOME/backups/pipekit-<schema versions>-<time>.dump.
    private async Task<StateBackupResult> DumpAsync(PostgresStateDatabase postgres, string? path, CancellationToken cancellationToken)
    {
        var status = await _store.GetStatusAsync(cancellationToken);
        var directory = _environment is null ? Path.GetFullPath("backups") : Path.Combine(_environment.Home.Root, "backups");
        string target;
        if (path is null) target = Path.Combine(directory, DefaultName(status, "", directory, ".dump"));
        else if (Directory.Exists(path)) target = Path.Combine(Path.GetFullPath(path), DefaultName(status, "", Path.GetFullPath(path), ".dump"));
        else target = Path.GetFullPath(path);
        if (File.Exists(target)) throw new ConflictException($"backup file {target} already exists; choose another path or remove it");
        await new PostgresStateDump(_store, postgres, _environment?.Config.State.PgBinDir).DumpAsync(target, cancellationToken);
        return new StateBackupResult(target, new FileInfo(target).Length, status.Versions);
    }

    private async Task<SchemaStatus> CheckAsync(string candidate, string source, CancellationToken cancellationToken)
    {
        try
        {
            await using (var connection = new SqliteConnection(Private(candidate, SqliteOpenMode.ReadWrite)))
            {
                await connection.OpenAsync(cancellationToken);
                var problems = (await connection.QueryAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: cancellationToken))).ToList();
                if (problems is not ["ok"])
                    throw new InvalidInputException($"backup file {source} is damaged (integrity check: {problems.FirstOrDefault()}); choose another backup");
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE", cancellationToken: cancellationToken));
            }
            var status = await new StateStore(candidate, 1000, _store.Migrator).GetStatusAsync(cancellationToken);
            if (!status.Legacy && status.Applied.Values.All(v => v == 0))
                throw new InvalidInputException($"backup file {source} is a SQLite database but not a Pipekit state store (it has no schema_version); choose a file 'pipekit backup' made");
            return status;
        }
        catch (SqliteException ex)
        {
            throw new InvalidInputException($"backup file {source} is not a readable SQLite database ({ex.Message}); choose a file 'pipekit backup' made", ex);
        }
        catch (StateException ex)
        {
            throw new InvalidInputException($"backup file {source} cannot be restored by this pipekit: {ex.Message}", ex);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    // Moves every committed page from the WAL into the file, so nothing of the replaced store lives only in its journal.
    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken: cancellationToken));
    }

    private string DefaultPath(SchemaStatus status, string label)
    {
        var directory = DirectoryFor(_store.Location);
        return Path.Combine(directory, DefaultName(status, label, directory, ".db"));
    }

    private string DefaultName(SchemaStatus status, string label, string directory, string extension)
    {
        var versions = string.Join("-", status.Applied.Select(p => $"{p.Key}{p.Value}"));
        var time = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = $"pipekit-{label}{versions}-{time}";
        var candidate = name + extension;
        for (var n = 2; File.Exists(Path.Combine(directory, candidate)); n++) candidate = $"{name}-{n}{extension}";
        return candidate;
    }

    private void RequireSqlite(string what)
    {
        if (_store.Kind != StoreKind.Sqlite)
            throw new CannotDoHereException(
                $"'pipekit {what}' works on a SQLite state file, and the state store is PostgreSQL ({_store.Location}); use the database's own backup (pg_dump -Fc, base backups or snapshots)");
    }

    private static string Private(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();
}
