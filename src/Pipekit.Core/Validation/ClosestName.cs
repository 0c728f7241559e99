namespace Pipekit.Core.Validation;

/// <summary>"Did you mean …": the known name nearest to what a user typed, when it is near enough to be a typo.</summary>
public static class ClosestName
{
    /// <summary>The candidate within a small edit distance of <paramref name="typed"/> (case-insensitive), or null.</summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // A third of the word, at least one and at most three edits: "stratgy" finds "strategy", "foo" finds nothing.
        var allowed = Math.Clamp(typed.Length / 3, 1, 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string, to append to a message.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
