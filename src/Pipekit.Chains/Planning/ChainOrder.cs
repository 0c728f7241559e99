using Pipekit.Chains.Projects;
using Tomlyn.Model;
using Tomlyn;

namespace Pipekit.Chains.Planning;

/// <summary>
/// The order of a project's steps. <c>chain.toml</c> (<c>steps = ["init/*.sql", "schema/01_tables.sql", …]</c>) decides
/// when present; otherwise the top-level directories run <c>init/</c>, <c>schema/</c>, <c>seed/</c>, the other
/// directories alphabetically (files at the root first among them), <c>test/</c>, <c>bench/</c>, each directory's files in natural
/// order. Only <c>.sql</c> files are steps.
/// </summary>
public static class ChainOrder
{
    public const string ManifestName = "chain.toml";

    private static readonly string[] First = ["init", "schema", "seed"];
    private static readonly string[] Last = ["test", "bench"];

    public static IReadOnlyList<ChainStep> Steps(ProjectTree tree)
    {
        var paths = tree.Contains(ManifestName) ? FromManifest(tree) : DefaultOrder(tree.Files.Keys);
        return paths.Select((p, i) => new ChainStep(i, p, tree[p])).ToList();
    }

    /// <summary>Splits the chain at <paramref name="headPath"/>; a head that is not a step of the chain is a 400.</summary>
    public static ChainPlan Plan(ProjectTree tree, string headPath)
    {
        var head = ProjectPath.Normalize(headPath);
        if (!tree.Contains(head)) throw new ChainInputException($"head '{head}' is not in the project tree");
        var steps = Steps(tree);
        var step = steps.FirstOrDefault(s => s.Path == head)
            ?? throw new ChainInputException(head.EndsWith(".sql", StringComparison.Ordinal)
                ? $"head '{head}' is not a step of the chain; list it in {ManifestName}"
                : $"head '{head}' is not a .sql file; only .sql files are steps");
        return new ChainPlan(steps, step);
    }

    internal static IReadOnlyList<string> DefaultOrder(IEnumerable<string> paths) =>
        paths.Where(IsSql)
            .OrderBy(p => Rank(TopDirectory(p)))
            .ThenBy(p => TopDirectory(p) ?? "", StringComparer.Ordinal)
            .ThenBy(p => p, NaturalOrder.Instance)
            .ToList();

    private static bool IsSql(string path) => path.EndsWith(".sql", StringComparison.Ordinal);

    private static string? TopDirectory(string path)
    {
        var slash = path.IndexOf('/');
        return slash < 0 ? null : path[..slash];
    }

    private static int Rank(string? top)
    {
        if (top is null) return First.Length;
        var first = Array.IndexOf(First, top);
        if (first >= 0) return first;
        var last = Array.IndexOf(Last, top);
        return last >= 0 ? First.Length + 1 + last : First.Length;
    }

    private static List<string> FromManifest(ProjectTree tree)
    {
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize<TomlTable>(tree[ManifestName]) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new ChainInputException($"{ManifestName}: {ex.Message.Split('\n')[0]}");
        }
        foreach (var key in model.Keys)
            if (key != "steps") throw new ChainInputException($"{ManifestName}: unknown key '{key}' (the only key is 'steps')");
        if (!model.TryGetValue("steps", out var raw) || raw is not TomlArray array || array.Count == 0)
            throw new ChainInputException($"{ManifestName}: 'steps' must be a non-empty array of paths or globs");

        var sqlFiles = tree.Files.Keys.Where(IsSql).ToList();
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is not string entry) throw new ChainInputException($"{ManifestName}: every entry of 'steps' must be a string");
            var pattern = ProjectPath.Normalize(entry);
            List<string> matches;
            if (StepGlob.IsGlob(pattern))
            {
                var glob = new StepGlob(pattern);
                matches = sqlFiles.Where(glob.Matches).Order(NaturalOrder.Instance).ToList();
                if (matches.Count == 0) throw new ChainInputException($"{ManifestName}: '{entry}' matches no .sql file");
            }
            else
            {
                if (!IsSql(pattern)) throw new ChainInputException($"{ManifestName}: '{entry}' is not a .sql file; only .sql files are steps");
                if (!tree.Contains(pattern)) throw new ChainInputException($"{ManifestName}: step '{entry}' is not in the project");
                matches = [pattern];
            }
            // A file matched again by a later, broader glob keeps its first place.
            ordered.AddRange(matches.Where(seen.Add));
        }
        return ordered;
    }
}
