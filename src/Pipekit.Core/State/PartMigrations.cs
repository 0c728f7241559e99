using System.Globalization;

namespace Pipekit.Core.State;

/// <summary>Reads a part's embedded migrations, choosing each step's SQL for one store.</summary>
internal static class PartMigrations
{
    private static readonly string[] StoreSuffixes = [".sqlite", ".postgres"];

    public static IReadOnlyList<Migration> Load(StatePart part, StoreKind store)
    {
        var wantedSuffix = store == StoreKind.Postgres ? ".postgres" : ".sqlite";
        var steps = new SortedDictionary<int, (string Name, string? Plain, string? ForStore)>();
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
            steps.TryGetValue(version, out var step);
            if (step.Name is not null && step.Name != name)
                throw new InvalidOperationException($"part {part.Name} has two migrations numbered {version}: {step.Name} and {name}");
            var sql = Read(part, resource);
            step = suffix is null ? (name, sql, step.ForStore) : suffix == wantedSuffix ? (name, step.Plain, sql) : (name, step.Plain, step.ForStore);
            steps[version] = step;
        }
        var list = new List<Migration>();
        foreach (var (version, step) in steps)
        {
            if (version != list.Count + 1)
                throw new InvalidOperationException($"migrations of part {part.Name} must be numbered 1..N without gaps; found {version:D4}_{step.Name} at position {list.Count + 1}");
            var sql = step.ForStore ?? step.Plain
                ?? throw new InvalidOperationException($"migration {part.Name}/{version:D4}_{step.Name} has no SQL for the {store.ToString().ToLowerInvariant()} store");
            list.Add(new Migration(part.Name, version, step.Name, sql));
        }
        return list;
    }

    private static string Read(StatePart part, string resource)
    {
        using var stream = part.Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
