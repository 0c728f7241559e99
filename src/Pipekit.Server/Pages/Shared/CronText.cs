using System.Globalization;

namespace Pipekit.Server.Pages.Shared;

/// <summary>
/// A cron expression in words for the common shapes ("every day at 02:20", "every 15 minutes", "Mon-Fri at 06:00");
/// anything else is shown as the expression itself, never guessed.
/// </summary>
internal static class CronText
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static string Describe(string expression)
    {
        var f = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? seconds = null;
        if (f.Length == 6)
        {
            seconds = f[0];
            f = f[1..];
        }
        if (f.Length != 5) return expression;
        var (min, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
        if (seconds is not null && seconds != "0") return expression;
        if (month != "*" || dom != "*" && dow != "*") return expression;

        if (min.StartsWith("*/", StringComparison.Ordinal) && hour == "*" && dom == "*" && dow == "*")
            return $"every {min[2..]} minutes";
        if (min == "*" && hour == "*" && dom == "*" && dow == "*") return "every minute";
        if (IsNumber(min) && hour == "*" && dom == "*" && dow == "*") return $"every hour at :{int.Parse(min, CultureInfo.InvariantCulture):00}";
        if (IsNumber(min) && hour.StartsWith("*/", StringComparison.Ordinal) && dom == "*" && dow == "*")
            return $"every {hour[2..]} hours at :{int.Parse(min, CultureInfo.InvariantCulture):00}";
        if (!IsNumber(min)) return expression;
        string at;
        if (IsNumber(hour)) at = $"at {int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(min, CultureInfo.InvariantCulture):00}";
        else if (hour.Split(',').All(IsNumber))
            at = "at " + string.Join(", ", hour.Split(',').Select(h => $"{int.Parse(h, CultureInfo.InvariantCulture):00}:{int.Parse(min, CultureInfo.InvariantCulture):00}"));
        else return expression;

        if (dom == "*" && dow == "*") return "every day " + at;
        if (dom != "*" && IsNumber(dom)) return $"monthly on day {dom} {at}";
        if (DayList(dow) is { } days) return days + " " + at;
        return expression;
    }

    private static string? DayList(string dow)
    {
        if (dow is "1-5" or "MON-FRI" or "mon-fri") return "Mon–Fri";
        if (dow is "0,6" or "6,0" or "SAT,SUN") return "Sat and Sun";
        var parts = dow.Split(',');
        if (!parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 7)) return null;
        return "every " + string.Join(", ", parts.Select(p => Days[int.Parse(p, CultureInfo.InvariantCulture)]));
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
