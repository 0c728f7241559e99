using System.Globalization;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A type as written in a catalog or DDL, split into its base name and arguments:
/// <c>DECIMAL(15,4)</c> → <c>decimal</c> with 15 and 4; <c>character varying(20)</c> → <c>character varying</c> with 20.
/// </summary>
internal readonly record struct DeclaredType(string BaseName, int? First, int? Second)
{
    public static DeclaredType Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new DeclaredType("", null, null);
        var t = text.Trim().ToLowerInvariant();
        int? first = null, second = null;
        var open = t.IndexOf('(');
        if (open >= 0)
        {
            var close = t.IndexOf(')', open);
            var args = (close > open ? t[(open + 1)..close] : t[(open + 1)..]).Split(',', StringSplitOptions.TrimEntries);
            first = ParseInt(args.ElementAtOrDefault(0));
            second = ParseInt(args.ElementAtOrDefault(1));
            // "timestamp(3) with time zone" keeps its words after the parentheses.
            var rest = close > open ? t[(close + 1)..] : "";
            t = (t[..open] + rest).Trim();
        }
        t = string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return new DeclaredType(t, first, second);
    }

    private static int? ParseInt(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
