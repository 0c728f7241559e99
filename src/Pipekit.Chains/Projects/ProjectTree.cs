using System.Text;

namespace Pipekit.Chains.Projects;

/// <summary>
/// A SQL project: normalised path → file content. It is built from a directory (the CLI) or from the job API's
/// <c>project_tree</c>, possibly in several parts (<c>/append</c>); a path given twice with different content is an error.
/// </summary>
public sealed class ProjectTree
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Files => _files;

    public int Count => _files.Count;

    /// <summary>Total UTF-8 bytes of every file's content.</summary>
    public long Bytes => _files.Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));

    public bool Contains(string path) => _files.ContainsKey(path);

    public string this[string path] => _files[path];

    /// <summary>Adds one file; <paramref name="path"/> is normalised (and refused when unsafe).</summary>
    public void Add(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var normalized = ProjectPath.Normalize(path);
        if (_files.TryGetValue(normalized, out var existing))
        {
            if (existing == content) return;
            throw new ChainInputException($"project path '{normalized}' is given twice with different content");
        }
        _files.Add(normalized, content);
    }

    public static ProjectTree From(IEnumerable<KeyValuePair<string, string>> files)
    {
        var tree = new ProjectTree();
        foreach (var (path, content) in files) tree.Add(path, content);
        return tree;
    }

    /// <summary>
    /// Reads every regular file under <paramref name="directory"/> (hidden entries and symlinks skipped: a link could
    /// point outside the project).
    /// </summary>
    public static async Task<ProjectTree> ReadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(Path.GetFullPath(directory));
        if (!root.Exists) throw new ChainInputException($"project directory {root.FullName} does not exist");
        var tree = new ProjectTree();
        await ReadAsync(root, "", tree, cancellationToken);
        return tree;
    }

    private static async Task ReadAsync(DirectoryInfo directory, string prefix, ProjectTree tree, CancellationToken cancellationToken)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.') || entry.LinkTarget is not null) continue;
            var relative = prefix + entry.Name;
            if (entry is DirectoryInfo sub) await ReadAsync(sub, relative + "/", tree, cancellationToken);
            else tree.Add(relative, await File.ReadAllTextAsync(entry.FullName, cancellationToken));
        }
    }
}
