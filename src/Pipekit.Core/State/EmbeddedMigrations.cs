using System.Globalization;
using System.Reflection;

namespace Pipekit.Core.State;

/// <summary>Reads the migrations compiled into Pipekit.Core as embedded resources named <c>Pipekit.Migrations.NNNN_name.sql</c>.</summary>
internal static class EmbeddedMigrations
{
    private const string Prefix = "Pipekit.Migrations.";

    public static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var file = resource[Prefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_');
            if (underscore < 1 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"migration resource '{resource}' is not named NNNN_name.sql");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, file[(underscore + 1)..], reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
            if (list[i].Version != i + 1)
                throw new InvalidOperationException($"migrations must be numbered 1..N without gaps; found {list[i].FileName} at position {i + 1}");
        return list;
    }
}
