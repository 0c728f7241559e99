namespace Pipekit.Core.Validation;

/// <summary>
/// The "did you mean" of an error about an unknown name: the known name closest to what was typed, when it is close
/// enough to be a typo (<c>merge_stratgy</c> → <c>merge_strategy</c>, <c>order</c> → <c>run_order</c>).
/// </summary>
public static class ClosestName
{
    /// <summary>The closest of <paramref name="known"/> to <paramref name="given"/>, or null when none is plausibly meant.</summary>
    public static string? Find(string given, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(known);
        var typed = given.Trim().ToLowerInvariant();
        if (typed.Length is 0 or > 100) return null;
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var name in known)
        {
            var candidate = name.ToLowerInvariant();
            var score = Distance(typed, candidate);
            // A word the name ends with or starts with ('order' in 'run_order', 'strategy' in 'merge_strategy') is a
            // likely meaning even when many letters are missing.
            if (score > Allowed(candidate) && !IsPartOf(typed, candidate)) continue;
            if (score < bestScore)
            {
                best = name;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>"; did you mean 'x'?" or an empty string, to append to a message.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    private static int Allowed(string name) => Math.Max(1, Math.Min(3, name.Length / 3));

    private static bool IsPartOf(string typed, string name) =>
        typed.Length >= 3 && name.Split('_', StringSplitOptions.RemoveEmptyEntries).Contains(typed, StringComparer.Ordinal);

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours each cost 1.
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
