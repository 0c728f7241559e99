using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pipekit.Sync.Verification;

/// <summary>
/// One value in the engine-neutral text a row hash is computed from, so that the same value read from PostgreSQL,
/// DuckDB, SQLite or MariaDB gives the same text: integers and decimals without trailing zeros (10, 10.0 and 10.00
/// agree), booleans as 1/0 (SQLite has no boolean), timestamps as ISO text with a trailing Z only when they carry a
/// zone (converted to UTC), a timestamp at midnight without a zone as a date (a date column read as DateTime by one
/// provider and DateOnly by another), GUIDs lower case, bytes as hex.
/// </summary>
internal static class VerifyValue
{
    public const char Separator = '\u001f';
    public const string Null = "\u0000";

    public static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null or DBNull: text.Append(Null); break;
            case string s: text.Append(s); break;
            case bool b: text.Append(b ? '1' : '0'); break;
            case long or int or short or sbyte or byte or ushort or uint or ulong or BigInteger:
                text.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case decimal d: text.Append(d.ToString("0.############################", CultureInfo.InvariantCulture)); break;
            case double d: text.Append(Double(d)); break;
            case float f: text.Append(f.ToString("R", CultureInfo.InvariantCulture)); break;
            case DateTime dt: text.Append(Timestamp(dt)); break;
            case DateTimeOffset dto: text.Append(Timestamp(dto.UtcDateTime)); break;
            case DateOnly date: text.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case TimeOnly time: text.Append(Time(time)); break;
            case TimeSpan span when span >= TimeSpan.Zero && span < TimeSpan.FromDays(1): text.Append(Time(TimeOnly.FromTimeSpan(span))); break;
            case Guid g: text.Append(g.ToString("D")); break;
            case byte[] bytes: text.Append("\\x").Append(Convert.ToHexStringLower(bytes)); break;
            default: text.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>A normalised row for people: values separated by <c>|</c>, NULL for nulls.</summary>
    public static string Display(string row) => row.Replace(Null, "NULL", StringComparison.Ordinal).Replace(Separator, '|');

    private static string Double(double d) =>
        Math.Abs(d) < 1e15 && d == Math.Floor(d) ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTime dt)
    {
        if (dt.Kind == DateTimeKind.Utc)
            return dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";
        return dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
    }

    private static string Time(TimeOnly t) => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
}
