using System.Globalization;

namespace Pipekit.Pipelines.Sdk;

/// <summary>
/// The private directory (mode 0700) holding a run's SDK sockets, one per task, under the system temp directory as
/// <c>pipekit-sdk-&lt;pid&gt;-&lt;random&gt;</c>. Disposing removes it. A process that crashed cannot remove its own, so every
/// new one first removes those whose owning process is gone.
/// </summary>
public sealed class SdkSocketDirectory : IDisposable
{
    private const string Prefix = "pipekit-sdk-";

    private SdkSocketDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static SdkSocketDirectory Create(string? parent = null)
    {
        parent ??= System.IO.Path.GetTempPath();
        SweepAbandoned(parent);
        var path = System.IO.Path.Combine(parent, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..(Prefix.Length + 20)]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The mode given to CreateDirectory is masked by the umask; set it exactly.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SdkSocketDirectory(path);
    }

    /// <summary>A socket path for the task numbered <paramref name="index"/> (short: Unix socket paths are limited to 107 bytes).</summary>
    public string SocketFor(int index) => System.IO.Path.Combine(Path, $"t{index}.sock");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    internal static void SweepAbandoned(string parent)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(parent, Prefix + "*").ToList();
        }
        catch (IOException)
        {
            return;
        }
        foreach (var directory in candidates)
        {
            var name = System.IO.Path.GetFileName(directory)[Prefix.Length..];
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's, or already gone.
            }
        }
    }
}
