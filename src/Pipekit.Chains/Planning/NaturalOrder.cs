namespace Pipekit.Chains.Planning;

/// <summary>
/// Orders paths the way people number files: runs of digits compare as numbers, so <c>2_x.sql</c> comes before
/// <c>10_x.sql</c>; everything else compares ordinally, so the order is the same on every machine and culture.
/// </summary>
internal sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var si = i; while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                var sj = j; while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var a = x.AsSpan(si, i - si).TrimStart('0');
                var b = y.AsSpan(sj, j - sj).TrimStart('0');
                if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                var c = a.SequenceCompareTo(b);
                if (c != 0) return c;
                // 01 and 1 are equal as numbers; the shorter spelling first keeps the order total.
                if (i - si != j - sj) return (i - si).CompareTo(j - sj);
            }
            else
            {
                if (x[i] != y[j]) return x[i].CompareTo(y[j]);
                i++; j++;
            }
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }
}
