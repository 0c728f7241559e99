namespace Pipekit.Pipelines.Execution;

/// <summary>
/// Copies a project to <c>runs/&lt;run_id&gt;/project/</c> so a run is not disturbed by edits made while it runs, and
/// can be resumed later from exactly what it ran. Skips <c>.git</c>, <c>__pycache__</c>, <c>.venv</c>,
/// <c>node_modules</c> and symlinks; keeps file modes (an executable script stays executable).
/// </summary>
public static class RunSnapshot
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", "__pycache__", ".venv", "node_modules" };

    public static async Task CopyAsync(string projectDirectory, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        await CopyDirectoryAsync(new DirectoryInfo(projectDirectory), destination, cancellationToken);
    }

    private static async Task CopyDirectoryAsync(DirectoryInfo source, string destination, CancellationToken cancellationToken)
    {
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.LinkTarget is not null) continue;
            var target = Path.Combine(destination, entry.Name);
            if (entry is DirectoryInfo directory)
            {
                if (SkippedDirectories.Contains(entry.Name)) continue;
                Directory.CreateDirectory(target);
                File.SetUnixFileMode(target, directory.UnixFileMode);
                await CopyDirectoryAsync(directory, target, cancellationToken);
            }
            else if (entry is FileInfo file)
            {
                await using (var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
                await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                {
                    await input.CopyToAsync(output, cancellationToken);
                }
                File.SetUnixFileMode(target, file.UnixFileMode);
            }
        }
    }
}
