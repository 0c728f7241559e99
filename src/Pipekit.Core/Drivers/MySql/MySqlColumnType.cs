using System.Globalization;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// A MySQL column type as INFORMATION_SCHEMA.COLUMNS.COLUMN_TYPE writes it: <c>decimal(15,4)</c>,
/// <c>int(10) unsigned</c>, <c>tinyint(1)</c>, <c>enum('a','b')</c>. The display width matters for
/// <c>tinyint(1)</c> (MySQL's boolean) and the sign for the integer range.
/// </summary>
internal readonly record struct MySqlColumnType(string Name, int? First, int? Second, bool Unsigned)
{
    public static MySqlColumnType Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var open = t.IndexOf('(');
        var space = t.IndexOf(' ');
        var nameEnd = open >= 0 && (space < 0 || open < space) ? open : space >= 0 ? space : t.Length;
        var name = t[..nameEnd];

        int? first = null, second = null;
        var rest = t[nameEnd..];
        if (open == nameEnd)
        {
            var close = t.IndexOf(')', open);
            if (close > open)
            {
                // enum/set arguments are quoted strings, not numbers; they are left out
                var args = t[(open + 1)..close].Split(',');
                first = ParseInt(args[0]);
                second = args.Length > 1 ? ParseInt(args[1]) : null;
                rest = t[(close + 1)..];
            }
        }
        return new MySqlColumnType(name, first, second, rest.Contains("unsigned", StringComparison.Ordinal));
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
