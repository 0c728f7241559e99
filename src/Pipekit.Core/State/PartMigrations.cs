using System.Globalization;

namespace Pipekit.Core.State;

/// <summary>Reads a part's embedded migrations, choosing each step's SQL for one store.</summary>
internal static class PartMigrations
{
    private static readonly string[] StoreSuffixes = [".sqlite", ".postgres"];

    public static IReadOnlyList<Migration> Load(StatePart part, StoreKind store)
    {
        var wantedSuffix = store == StoreKind.Postgres ? ".postgres" : ".sqlite";
        // A dictionary of reference-typed steps, sorted once at the end: a SortedDictionary over a tuple is generic code
        // the JIT compiles afresh in every process (about 50 methods), and this runs at every command's start.
        var steps = new Dictionary<int, Step>();
        var checksums = MigrationChecksums.Of(part.Assembly);
        foreach (var resource in part.Assembly.GetManifestResourceNames().Where(n => n.StartsWith(part.ResourcePrefix, StringComparison.Ordinal)))
        {
            if (!resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var file = resource[part.ResourcePrefix.Length..^".sql".Length];
            var suffix = StoreSuffixes.FirstOrDefault(s => file.EndsWith(s, StringComparison.Ordinal));
            if (suffix is not null) file = file[..^suffix.Length];
            var underscore = file.IndexOf('_');
            if (underscore < 1 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"migration resource '{resource}' of part {part.Name} is not named NNNN_name[.sqlite|.postgres].sql");
            var name = file[(underscore + 1)..];
            var step = steps.GetValueOrDefault(version) ?? new Step(name, null, null);
            if (step.Name != name)
                throw new InvalidOperationException($"part {part.Name} has two migrations numbered {version}: {step.Name} and {name}");
            if (suffix is not null && suffix != wantedSuffix)
            {
                steps[version] = step;
                continue;
            }
            var text = checksums.Read(part.Assembly, resource);
            steps[version] = suffix is null ? step with { Plain = text } : step with { ForStore = text };
        }
        var list = new List<Migration>();
        var versions = new List<int>(steps.Keys);
        versions.Sort();
        foreach (var version in versions)
        {
            var step = steps[version];
            if (version != list.Count + 1)
                throw new InvalidOperationException($"migrations of part {part.Name} must be numbered 1..N without gaps; found {version:D4}_{step.Name} at position {list.Count + 1}");
            var text = step.ForStore ?? step.Plain
                ?? throw new InvalidOperationException($"migration {part.Name}/{version:D4}_{step.Name} has no SQL for the {store.ToString().ToLowerInvariant()} store");
            list.Add(new Migration(part.Name, version, step.Name, text.Sql, text.Checksum));
        }
        return list;
    }

    private sealed record Step(string Name, MigrationChecksums.EmbeddedSql? Plain, MigrationChecksums.EmbeddedSql? ForStore);
}
