using System.Runtime.InteropServices;

namespace Pipekit.Pipelines.Projects;

// Where a task's script really is. A script must stay inside its project, both as written (no "..") and once
// symlinks are followed, because the run copies the project and runs the copy: a path outside would run code
// that is not in the snapshot.
internal static partial class ScriptPaths
{
    public enum Check { Ok, Missing, EscapesByPath, EscapesBySymlink, Absolute }

    public static (Check Result, string FullPath) Locate(string projectDirectory, string script)
    {
        if (Path.IsPathRooted(script)) return (Check.Absolute, script);
        var root = Path.GetFullPath(projectDirectory);
        var full = Path.GetFullPath(script, root);
        if (!IsInside(root, full)) return (Check.EscapesByPath, full);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            // A dangling symlink is "missing"; one that points outside is still an escape worth naming.
            var link = new FileInfo(full).LinkTarget;
            if (link is null) return (Check.Missing, full);
            var target = Path.GetFullPath(link, Path.GetDirectoryName(full)!);
            return (IsInside(root, target) ? Check.Missing : Check.EscapesBySymlink, full);
        }
        var realRoot = RealPath(root) ?? root;
        var realFull = RealPath(full) ?? full;
        return (IsInside(realRoot, realFull) ? Check.Ok : Check.EscapesBySymlink, full);
    }

    public static bool IsInside(string root, string path)
    {
        var prefix = root.EndsWith('/') ? root : root + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    // realpath(3): every symlink on the way resolved; null when the path does not exist.
    public static string? RealPath(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
