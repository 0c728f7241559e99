using System.Globalization;

namespace Pipekit.Core.Configuration;

/// <summary>Durations as people write them in configuration: a whole number followed by ms, s, m, h or d.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits])) digits++;
        if (digits == 0 || digits > 12) return false;
        var number = long.Parse(s.AsSpan(0, digits), CultureInfo.InvariantCulture);
        TimeSpan? parsed = s[digits..].Trim() switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" or "" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            "d" => TimeSpan.FromDays(number),
            _ => null,
        };
        if (parsed is not { } v) return false;
        value = v;
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 1000 != 0 ? $"{(long)value.TotalMilliseconds}ms"
        : value.TotalSeconds % 60 != 0 ? $"{(long)value.TotalSeconds}s"
        : value.TotalMinutes % 60 != 0 ? $"{(long)value.TotalMinutes}m"
        : $"{(long)value.TotalHours}h";
}
