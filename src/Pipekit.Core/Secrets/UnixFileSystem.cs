using System.Runtime.InteropServices;

namespace Pipekit.Core.Secrets;

// The few libc calls .NET has no API for: reading and setting a file's owner, and fsyncing a directory.
internal static partial class UnixFileSystem
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
    private const int StatxBufferSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;

    // The owner of path (following symlinks).
    // statx rather than stat: struct statx has one layout on every Linux architecture, while
    // struct stat differs between them, so fixed offsets are safe only for statx.
    public static unsafe (uint Uid, uint Gid) GetOwner(string path)
    {
        byte* buffer = stackalloc byte[StatxBufferSize];
        if (Statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0)
            throw new IOException($"cannot read the owner of {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return (*(uint*)(buffer + StatxUidOffset), *(uint*)(buffer + StatxGidOffset));
    }

    // Sets the owner; uint.MaxValue (chown's -1) leaves that id unchanged. Returns the errno, or 0.
    public static int TrySetOwner(string path, uint uid, uint gid) =>
        Chown(path, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError();

    // Makes a rename inside directory durable. Best effort: a filesystem that cannot fsync
    // a directory still got the file's own data flushed.
    public static void TrySyncDirectory(string directory)
    {
        var fd = Open(directory, OpenReadOnlyCloseOnExec);
        if (fd < 0) return;
        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
