using System.Data.Common;
using System.Text;

namespace Pipekit.Sync.Verification;

/// <summary>
/// An order-independent digest of a streamed row set: per bucket of the row hash, the number of rows and the
/// wrapping sum of their 64-bit hashes. Two sides with equal digests hold the same multiset of rows (up to hash
/// collisions); unequal buckets say where to look for the differing rows without holding either side in memory.
/// </summary>
internal sealed class RowDigest
{
    public const int Buckets = 4096;

    private readonly long[] _counts = new long[Buckets];
    private readonly ulong[] _sums = new ulong[Buckets];

    public long Rows { get; private set; }

    /// <summary>Reads every row of <paramref name="reader"/> into the digest.</summary>
    public static async Task<RowDigest> ReadAsync(DbDataReader reader, CancellationToken ct)
    {
        var digest = new RowDigest();
        var text = new StringBuilder();
        while (await reader.ReadAsync(ct))
        {
            var hash = Hash(Row(reader, text));
            var bucket = (int)(hash % Buckets);
            digest._counts[bucket]++;
            digest._sums[bucket] += hash;
            digest.Rows++;
        }
        return digest;
    }

    /// <summary>The buckets where two digests differ.</summary>
    public HashSet<int> Differences(RowDigest other)
    {
        var buckets = new HashSet<int>();
        for (var i = 0; i < Buckets; i++)
            if (_counts[i] != other._counts[i] || _sums[i] != other._sums[i]) buckets.Add(i);
        return buckets;
    }

    /// <summary>The normalised rows of <paramref name="reader"/> that fall into <paramref name="buckets"/>, with their multiplicity, at most <paramref name="limit"/> distinct.</summary>
    public static async Task<(Dictionary<string, int> Rows, bool Truncated)> CollectAsync(DbDataReader reader, HashSet<int> buckets, int limit,
        CancellationToken ct)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var text = new StringBuilder();
        while (await reader.ReadAsync(ct))
        {
            var row = Row(reader, text);
            if (!buckets.Contains((int)(Hash(row) % Buckets))) continue;
            if (rows.Count >= limit && !rows.ContainsKey(row)) return (rows, true);
            rows[row] = rows.GetValueOrDefault(row) + 1;
        }
        return (rows, false);
    }

    private static string Row(DbDataReader reader, StringBuilder text)
    {
        text.Clear();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (i > 0) text.Append(VerifyValue.Separator);
            VerifyValue.Append(text, reader.IsDBNull(i) ? null : Instant(reader, i, reader.GetValue(i)));
        }
        return text.ToString();
    }

    // DuckDB hands a TIMESTAMPTZ back as a DateTime in UTC without saying so (Kind Unspecified); its type name does.
    private static object Instant(DbDataReader reader, int ordinal, object value) =>
        value is DateTime { Kind: DateTimeKind.Unspecified } dt && IsZoned(reader.GetDataTypeName(ordinal))
            ? DateTime.SpecifyKind(dt, DateTimeKind.Utc)
            : value;

    private static bool IsZoned(string typeName) =>
        typeName.EndsWith("tz", StringComparison.OrdinalIgnoreCase) || typeName.Contains("with time zone", StringComparison.OrdinalIgnoreCase);

    // FNV-1a over the UTF-16 text, then a SplitMix64 finaliser so that the low bits (the bucket) are well mixed.
    private static ulong Hash(string row)
    {
        var h = 14695981039346656037UL;
        foreach (var c in row)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebUL;
        h ^= h >> 31;
        return h;
    }
}
