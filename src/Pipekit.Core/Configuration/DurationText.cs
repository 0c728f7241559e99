using System.Globalization;
using System.Text;

namespace Pipekit.Core.Configuration;

/// <summary>
/// Durations as people write them in configuration and in Pit projects: one or more number-unit pairs with units
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (<c>"30s"</c>, <c>"5m"</c>, <c>"1h30m"</c>, <c>"1.5s"</c>); a bare
/// number is seconds.
/// </summary>
public static class DurationText
{
    private static readonly double LongestMs = TimeSpan.FromDays(3650).TotalMilliseconds;

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
            return Within(bare * 1000, out value);
        var i = 0;
        double totalMs = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            var factor = s[unitStart..i] switch
            {
                "ms" => 1.0,
                "s" => 1000.0,
                "m" => 60_000.0,
                "h" => 3_600_000.0,
                "d" => 86_400_000.0,
                _ => 0,
            };
            if (factor == 0) return false;
            totalMs += number * factor;
        }
        return Within(totalMs, out value);
    }

    /// <summary>"5m", "1h30m", "1.5s", "250ms": the shortest way to write it in the same notation.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1)) return $"{(long)value.TotalMilliseconds}ms";
        var builder = new StringBuilder();
        if (value.TotalHours >= 1) builder.Append(CultureInfo.InvariantCulture, $"{(long)value.TotalHours}h");
        if (value.Minutes > 0) builder.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        var seconds = value.Seconds + value.Milliseconds / 1000.0;
        if (seconds > 0) builder.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return builder.ToString();
    }

    private static bool Within(double milliseconds, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (milliseconds > LongestMs) return false;
        value = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
