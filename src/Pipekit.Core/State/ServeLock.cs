namespace Pipekit.Core.State;

/// <summary>
/// Tells other processes that a server is using the SQLite state file: <c>pipekit serve</c> holds a shared advisory
/// lock (<c>flock</c>) on a hidden sibling <c>.pipekit.db.serve-lock</c> for as long as it runs, and
/// <c>pipekit restore</c> refuses while it cannot take the lock exclusively. The kernel drops the lock when the
/// process ends, so a crashed server never leaves it behind; the empty file stays.
/// </summary>
public sealed class ServeLock : IDisposable
{
    private readonly FileStream? _lock;

    private ServeLock(FileStream? @lock) => _lock = @lock;

    /// <summary>The lock file that guards <paramref name="statePath"/>.</summary>
    public static string PathFor(string statePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(statePath))!, $".{Path.GetFileName(statePath)}.serve-lock");

    /// <summary>Holds the shared lock until disposed; several servers may hold it at once. Does nothing for a PostgreSQL store.</summary>
    public static ServeLock Hold(StateStore store)
    {
        if (store.Kind != StoreKind.Sqlite) return new ServeLock(null);
        var path = PathFor(store.Location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // .NET takes flock(LOCK_SH) for a read-only handle that shares, and flock(LOCK_EX) for FileShare.None.
            return new ServeLock(new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.Read, Share = FileShare.ReadWrite,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }));
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new StateException($"state store {store.Location} is being restored (lock {path} is held); start the server when the restore has finished", ex);
        }
    }

    /// <summary>
    /// Takes the lock exclusively for a restore, or returns null when a server holds it. Dispose the result when the
    /// restore is done; servers that start meanwhile fail with a message instead of opening a half-copied file.
    /// </summary>
    public static ServeLock? TryExclusive(string statePath)
    {
        var path = PathFor(statePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new ServeLock(new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }));
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            return null;
        }
    }

    public void Dispose() => _lock?.Dispose();
}
