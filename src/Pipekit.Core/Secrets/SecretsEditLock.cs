using System.Diagnostics;

namespace Pipekit.Core.Secrets;

/// <summary>
/// Serialises edits of one secrets file across processes: each edit reads, changes and atomically replaces the
/// file, so two at once would each write a file without the other's change. The lock is an exclusive advisory
/// lock (<c>flock</c>) on a hidden sibling <c>.FILE.lock</c>, which stays behind empty (deleting it would let a
/// waiting editor lock a file that is gone); the lock itself ends with the process, so a crashed edit never
/// leaves the file locked.
/// </summary>
internal sealed class SecretsEditLock : IDisposable
{
    // Edits take milliseconds, but waiters poll rather than queue, so under load an unlucky one can wait for many.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly FileStream _lock;

    private SecretsEditLock(FileStream @lock) => _lock = @lock;

    /// <param name="target">The file that will be replaced (a symlink already resolved).</param>
    /// <param name="displayPath">The path the user gave, for messages.</param>
    public static async Task<SecretsEditLock> AcquireAsync(string target, string displayPath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.lock");
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new SecretsEditLock(new FileStream(path, options));
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new SecretsException($"cannot write secrets file {displayPath}: permission denied for its lock file {path}", ex);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
            {
                // Another edit holds the lock.
                if (waited.Elapsed > Patience)
                    throw new SecretsException($"secrets file {displayPath} is being edited by another process (lock {path}); try again", ex);
                await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _lock.Dispose();
}
