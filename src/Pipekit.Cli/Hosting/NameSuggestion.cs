namespace Pipekit.Cli.Hosting;

/// <summary>"Did you mean …" for a name that does not exist: the closest existing name by edit distance, if it is close.</summary>
internal static class NameSuggestion
{
    /// <summary><c>named 'ordrs' (did you mean 'orders'?)</c>, or <c>named 'ordrs'</c> when nothing is close.</summary>
    public static string Named(string name, IEnumerable<string> existing) =>
        Closest(name, existing) is { } close ? $"named '{name}' (did you mean '{close}'?)" : $"named '{name}'";

    /// <summary>The existing name closest to <paramref name="name"/>, within a third of its length (at least 2 edits); null when none is.</summary>
    public static string? Closest(string name, IEnumerable<string> existing)
    {
        var limit = Math.Max(2, name.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in existing)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance > limit) continue;
            if (distance < bestDistance || distance == bestDistance && string.CompareOrdinal(candidate, best) < 0)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    // Levenshtein distance with adjacent transpositions counted as one edit ("ordres" is one edit from "orders").
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
