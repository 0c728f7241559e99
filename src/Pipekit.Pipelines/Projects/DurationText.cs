using System.Globalization;
using System.Text;

namespace Pipekit.Pipelines.Projects;

/// <summary>
/// Durations as Pit writes them: one or more number-unit pairs with units <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>
/// (<c>"30s"</c>, <c>"5m"</c>, <c>"1h30m"</c>).
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
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
                _ => 0,
            };
            if (factor == 0) return false;
            totalMs += number * factor;
        }
        if (totalMs > TimeSpan.FromDays(365).TotalMilliseconds) return false;
        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>"5m", "1h30m", "1.5s", "250ms": the shortest way Pit would write it.</summary>
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
}
