using System.Globalization;

namespace Pipekit.Core.Configuration;

/// <summary>Memory sizes as DuckDB accepts them (<c>"512MB"</c>, <c>"4GiB"</c>), checked strictly because they end up in a SET statement.</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"];

    public static string? Validate(string text)
    {
        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.')) digits++;
        var unit = s[digits..].Trim();
        if (digits == 0 || !double.TryParse(s.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0
            || !Units.Contains(unit, StringComparer.Ordinal))
            return $"expected a size such as \"512MB\" or \"4GB\" (units: {string.Join(", ", Units)}), got \"{text}\"";
        return null;
    }
}
