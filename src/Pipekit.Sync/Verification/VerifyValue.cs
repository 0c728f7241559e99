using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pipekit.Sync.Verification;

/// <summary>
/// One value in the engine-neutral text a row hash is computed from, so that the same value read from PostgreSQL,
/// DuckDB, SQLite or MariaDB gives the same text: integers and decimals without trailing zeros (10, 10.0 and 10.00
/// agree), booleans as 1/0 (SQLite has no boolean), timestamps as ISO text with a trailing Z only when they carry a
/// zone (converted to UTC), a timestamp at midnight without a zone as a date (a date column read as DateTime by one
/// provider and DateOnly by another), text that is exactly an ISO date or timestamp like that value (SQLite stores
/// them as text), text that is exactly a decimal numeral with a point like that decimal (a decimal wider than 28 digits
/// is read as its text, which PostgreSQL, DuckDB and MariaDB print with the column's scale and SQLite holds as it was
/// sent), GUIDs lower case, bytes as hex.
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
            case string s: text.Append(TimestampText(s) ?? DecimalText(s) ?? s); break;
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

    // SQLite keeps dates and timestamps as ISO text: text that is exactly such a value hashes like the value it becomes
    // in an engine with the type ("2025-06-09 00:00:00" like a midnight TIMESTAMP, "…+02:00" like a TIMESTAMPTZ).
    private static readonly string[] IsoForms =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] ZonedIsoForms =
    [
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-ddTHH:mm:ss'Z'", "yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'",
    ];

    private static string? TimestampText(string s)
    {
        if (s.Length is < 10 or > 35 || !char.IsAsciiDigit(s[0]) || s[4] != '-') return null;
        if (DateTime.TryParseExact(s, IsoForms, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return Timestamp(local);
        return DateTimeOffset.TryParseExact(s, ZonedIsoForms, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var zoned)
            ? Timestamp(zoned.UtcDateTime)
            : null;
    }

    // 12.3400000000 (a numeric(38,10) as PostgreSQL prints it) and 12.34 are one value, as they are for a decimal: the
    // zeros after the point go, and the point with them when nothing follows it. Only plain numerals with a point
    // qualify, so an integer's text, a version or a code with letters stays as it is.
    private static string? DecimalText(string s)
    {
        var digits = s.StartsWith('-') ? s.AsSpan(1) : s.AsSpan();
        var point = digits.IndexOf('.');
        if (point <= 0 || point == digits.Length - 1 || digits[..point].ContainsAnyExceptInRange('0', '9')
            || digits[(point + 1)..].ContainsAnyExceptInRange('0', '9') || !s.EndsWith('0'))
            return null;
        var trimmed = s.TrimEnd('0').TrimEnd('.');
        return trimmed is "-0" ? "0" : trimmed;
    }

    private static string Timestamp(DateTime dt)
    {
        // A provider that hands a zoned value back in local time (Kind Local) still means an instant.
        if (dt.Kind == DateTimeKind.Local) dt = dt.ToUniversalTime();
        if (dt.Kind == DateTimeKind.Utc)
            return dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";
        return dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
    }

    private static string Time(TimeOnly t) => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
}
