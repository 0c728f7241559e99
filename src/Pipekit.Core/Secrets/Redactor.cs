using System.Buffers;

namespace Pipekit.Core.Secrets;

/// <summary>
/// Replaces every known secret value in a text with <c>***</c> before Pipekit stores or prints it: log lines, task
/// output, error messages, run log entries, API responses. Safe to use from several threads.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumLength"/> characters are ignored: masking every "1" or "db" would make
/// logs unreadable and protect nothing. Matching is ordinal and literal (no pattern syntax). Where occurrences of
/// different values overlap or touch, their union is masked as one <c>***</c>, so neither value leaks in part; a
/// longer value is therefore never left half-masked by a shorter one inside it.
/// </remarks>
public sealed class Redactor
{
    /// <summary>The shortest value that is redacted.</summary>
    public const int MinimumLength = 4;

    /// <summary>What each redacted stretch of text becomes.</summary>
    public const string Mask = "***";

    private readonly Lock _gate = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly SecretStore? _store;
    private long _storeVersion;
    private Matcher? _matcher;

    /// <summary>Creates a redactor for <paramref name="values"/> (short and empty values are skipped).</summary>
    public Redactor(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values) Add(value);
    }

    private Redactor(SecretStore store)
    {
        _store = store;
        var (version, values) = store.CurrentValues();
        _storeVersion = version;
        foreach (var value in values) Add(value);
    }

    /// <summary>
    /// A redactor for every value in <paramref name="store"/>, now and later: before each redaction it asks the store
    /// whether the file changed and learns its new values first, so it fails closed. A value removed from the file
    /// stays masked for the life of the process.
    /// </summary>
    public static Redactor FromStore(SecretStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new Redactor(store);
    }

    /// <summary>
    /// Adds a value found later, such as a password resolved from the environment. Every encoded form of it is added
    /// too (<see cref="SecretEncodings"/>): a password reaches a log inside a connection URI, a SQL literal or JSON.
    /// </summary>
    public void Register(string value)
    {
        lock (_gate)
        {
            if (Add(value)) _matcher = null;
        }
    }

    /// <summary>The text with every known secret value replaced by <c>***</c>; an empty string for null.</summary>
    /// <remarks>Each call asks the store whether its file changed (one file status read).</remarks>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        return Current().Redact(text);
    }

    /// <summary>
    /// The redaction of every value known now, fixed: the store is asked once, here, instead of once per text. For one
    /// response made of many strings that were all read before this call (an API body serialised value by value),
    /// where asking per string would cost one file status read each. Take a new one for each response.
    /// </summary>
    public RedactionSnapshot Snapshot() => new(Current());

    private Matcher Current()
    {
        if (_store is { } store && store.Version != Interlocked.Read(ref _storeVersion)) LearnFromStore(store);
        return Volatile.Read(ref _matcher) ?? BuildMatcher();
    }

    private void LearnFromStore(SecretStore store)
    {
        var (version, values) = store.CurrentValues();
        lock (_gate)
        {
            var added = false;
            foreach (var value in values) added |= Add(value);
            if (added) _matcher = null;
            Interlocked.Exchange(ref _storeVersion, version);
        }
    }

    private bool Add(string? value)
    {
        if (value is null || value.Length < MinimumLength) return false;
        var added = false;
        foreach (var form in SecretEncodings.Of(value)) added |= _values.Add(form);
        return added;
    }

    private Matcher BuildMatcher()
    {
        lock (_gate)
        {
            // Built lazily so that a burst of Register calls rebuilds once, on the next Redact.
            return _matcher ??= new Matcher(_values);
        }
    }

    // An immutable search over one snapshot of the values.
    internal sealed class Matcher
    {
        private readonly SearchValues<string>? _search;
        // Candidates per first character, longest first, to find the longest value that starts at a hit.
        private readonly Dictionary<char, string[]> _byFirstChar;

        public Matcher(IEnumerable<string> values)
        {
            var all = values.ToArray();
            _byFirstChar = all.GroupBy(v => v[0])
                .ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.Length).ToArray());
            // SearchValues<string> scans for all values at once (vectorized, or Aho-Corasick), so the cost grows
            // with the text, not with text length times the number of secrets.
            _search = all.Length == 0 ? null : SearchValues.Create(all, StringComparison.Ordinal);
        }

        public string Redact(string text)
        {
            if (_search is null) return text;
            var span = text.AsSpan();
            var first = span.IndexOfAny(_search);
            // Most texts hold no secret: one vectorised scan and no allocation.
            if (first < 0) return text;
            var masks = new List<Range>();
            var maskStart = -1;
            var maskEnd = -1;
            var position = first;
            while (position < span.Length)
            {
                var hit = span[position..].IndexOfAny(_search);
                if (hit < 0) break;
                var start = position + hit;
                var end = start + LongestAt(span, start);
                if (maskEnd >= start)
                {
                    maskEnd = Math.Max(maskEnd, end);
                }
                else
                {
                    if (maskStart >= 0) masks.Add(maskStart..maskEnd);
                    maskStart = start;
                    maskEnd = end;
                }
                // One past the start, not past the end: another value may begin inside this one and reach further.
                position = start + 1;
            }
            if (maskStart < 0) return text;
            masks.Add(maskStart..maskEnd);
            return Splice(text, masks);
        }

        // The text with each range replaced by the mask, built in one allocation (logs can be large).
        private static string Splice(string text, List<Range> masks)
        {
            var length = text.Length;
            foreach (var mask in masks) length += Mask.Length - (mask.End.Value - mask.Start.Value);
            return string.Create(length, (text, masks), static (destination, state) =>
            {
                var (source, ranges) = state;
                var copied = 0;
                foreach (var range in ranges)
                {
                    var kept = source.AsSpan(copied, range.Start.Value - copied);
                    kept.CopyTo(destination);
                    destination = destination[kept.Length..];
                    Mask.AsSpan().CopyTo(destination);
                    destination = destination[Mask.Length..];
                    copied = range.End.Value;
                }
                source.AsSpan(copied).CopyTo(destination);
            });
        }

        private int LongestAt(ReadOnlySpan<char> text, int start)
        {
            var rest = text[start..];
            foreach (var candidate in _byFirstChar[rest[0]])
                if (rest.StartsWith(candidate, StringComparison.Ordinal)) return candidate.Length;
            throw new InvalidOperationException("the search reported a match that no value starts");
        }
    }
}
