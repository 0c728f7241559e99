using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// The modules that match a name search and a source connection, by name (ordinal), with how many are in each
/// <see cref="ModuleState"/>; and keyset pages of them: a page starts after (or ends before) a module name, so a
/// module added or removed meanwhile never shifts a page by one. Works on the cached listing of
/// <see cref="LatestRuns.ModulesAsync"/>, so filtering a thousand modules costs no query.
/// </summary>
internal sealed class ModuleListing
{
    private readonly Dictionary<ModuleState, int> _counts;

    private ModuleListing(IReadOnlyList<ModuleStatus> matches, Dictionary<ModuleState, int> counts)
    {
        Matches = matches;
        _counts = counts;
    }

    /// <summary>The modules matching the search and the connection, in every state, by name.</summary>
    public IReadOnlyList<ModuleStatus> Matches { get; }

    public static ModuleListing Of(IReadOnlyList<ModuleStatus> all, string? text, long? sourceConnectionId)
    {
        var needle = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var matches = new List<ModuleStatus>(needle is null && sourceConnectionId is null ? all.Count : 64);
        var counts = new Dictionary<ModuleState, int>();
        foreach (var m in all)
        {
            if (sourceConnectionId is { } source && m.SourceConnectionId != source) continue;
            if (needle is not null && !m.Name.Contains(needle, StringComparison.OrdinalIgnoreCase)) continue;
            matches.Add(m);
            var state = ModuleStates.Of(m);
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }
        matches.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new ModuleListing(matches, counts);
    }

    /// <summary>How many matching modules are in <paramref name="state"/>.</summary>
    public int Count(ModuleState state) => _counts.GetValueOrDefault(state);

    /// <summary>The matching modules in <paramref name="state"/> (all of them when null), by name.</summary>
    public IReadOnlyList<ModuleStatus> InState(ModuleState? state) =>
        state is { } s ? Matches.Where(m => ModuleStates.Of(m) == s).ToList() : Matches;

    /// <summary>
    /// One page of <paramref name="sorted"/> (by name, ordinal): the <paramref name="size"/> modules after the name
    /// <paramref name="after"/>, or the ones just before <paramref name="before"/>, or the first ones.
    /// </summary>
    public static ModulePage Page(IReadOnlyList<ModuleStatus> sorted, string? after, string? before, int size)
    {
        int start, end;
        if (!string.IsNullOrEmpty(after))
        {
            start = FirstAbove(sorted, after, inclusive: false);
            end = Math.Min(sorted.Count, start + size);
        }
        else if (!string.IsNullOrEmpty(before))
        {
            end = FirstAbove(sorted, before, inclusive: true);
            start = Math.Max(0, end - size);
        }
        else
        {
            start = 0;
            end = Math.Min(sorted.Count, size);
        }
        var rows = new List<ModuleStatus>(end - start);
        for (var i = start; i < end; i++) rows.Add(sorted[i]);
        return new ModulePage(rows, start, sorted.Count, HasEarlier: start > 0, HasLater: end < sorted.Count);
    }

    // The index of the first module whose name is above `name` (or equal to it, when inclusive), by binary search.
    private static int FirstAbove(IReadOnlyList<ModuleStatus> sorted, string name, bool inclusive)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(sorted[mid].Name, name);
            if (c > 0 || (inclusive && c == 0)) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
