using System.Runtime.InteropServices;
using System.Text;

namespace Pipekit.Core.Secrets;

// Replaces a file's content all at once: readers see the old file or the new one, never a torn write, and a crash
// leaves the old file in place. The new file keeps the old one's mode and owner; a file created here is 0600.
internal static class AtomicFileWriter
{
    public const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The file a write to path must replace: a symlink's final target, so that renaming over
    // it keeps the link (an /etc path pointing at a managed file) instead of replacing the link with a file.
    public static string ResolveTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return path;
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    // path: The file to replace or create (not a symlink; see ResolveTarget).
    // displayPath: The path to name in errors, as the user gave it.
    public static async Task WriteAsync(string path, string displayPath, string text, CancellationToken cancellationToken)
    {
        // Pipekit runs on Linux (the build targets linux-x64); saying so here also tells the platform analyzer.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("secrets files need Unix file modes");
        var directory = Path.GetDirectoryName(path) ?? throw new SecretsException($"{displayPath} has no parent directory");
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var exists = File.Exists(path);
            var mode = exists ? File.GetUnixFileMode(path) : NewFileMode;
            var owner = exists ? UnixFileSystem.GetOwner(path) : default;
            Directory.CreateDirectory(directory);

            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                // Born private: the content is secret from the first byte, whatever mode the file ends up with.
                UnixCreateMode = NewFileMode,
            };
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            if (exists) KeepOwner(temp, displayPath, owner);
            // After chown, which may clear set-id bits; chmod is exact where the create mode was masked by umask.
            File.SetUnixFileMode(temp, mode);

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temp);
            if (ex is UnauthorizedAccessException)
                throw new SecretsException($"cannot write secrets file {displayPath}: permission denied in {directory}", ex);
            if (ex is IOException)
                throw new SecretsException($"cannot write secrets file {displayPath}: {ex.Message}", ex);
            throw;
        }
        UnixFileSystem.TrySyncDirectory(directory);
    }

    private static void KeepOwner(string temp, string displayPath, (uint Uid, uint Gid) owner)
    {
        var current = UnixFileSystem.GetOwner(temp);
        if (current == owner) return;
        // Only the ids that differ: a group member who is not root may still hand the file to the group.
        var uid = current.Uid == owner.Uid ? uint.MaxValue : owner.Uid;
        var gid = current.Gid == owner.Gid ? uint.MaxValue : owner.Gid;
        var errno = UnixFileSystem.TrySetOwner(temp, uid, gid);
        if (errno != 0)
        {
            // Going ahead would hand the file to this user and could lock out the service that reads it.
            throw new SecretsException(
                $"cannot keep the owner of {displayPath} (uid {owner.Uid}, gid {owner.Gid}): {Marshal.GetPInvokeErrorMessage(errno)}; " +
                "run as the file's owner or as root");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
