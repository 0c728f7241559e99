using System.Text;

namespace Pipekit.Chains.Hashing;

/// <summary>
/// Everything about an engine that can change what the same SQL produces: its kind, its server version, the
/// extensions loaded (with versions) and the settings that affect results (TimeZone, search_path, …). It is the
/// input of S0, so a change here starts every chain from a new root.
/// </summary>
public sealed record EngineFingerprint(
    string Engine,
    string ServerVersion,
    IReadOnlyDictionary<string, string> Extensions,
    IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>One readable line per input, sorted; stored with root layers so a later miss can say what changed.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("engine=").Append(Engine).Append('\n');
        text.Append("server_version=").Append(ServerVersion).Append('\n');
        foreach (var (name, version) in Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append("extension.").Append(name).Append('=').Append(version).Append('\n');
        foreach (var (name, value) in Settings.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append("setting.").Append(name).Append('=').Append(value).Append('\n');
        return text.ToString();
    }

    /// <summary>The lines of two <see cref="Describe"/> texts that differ, as <c>key: old → new</c>.</summary>
    public static IReadOnlyList<string> Differences(string before, string after)
    {
        static Dictionary<string, string> Parse(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        var a = Parse(before);
        var b = Parse(after);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "(none)"} → {b.GetValueOrDefault(k) ?? "(none)"}")
            .ToList();
    }
}
