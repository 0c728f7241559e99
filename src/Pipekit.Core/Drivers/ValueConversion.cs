using System.Globalization;
using System.Numerics;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Converts a source reader's value into the CLR value a destination column needs. Every bulk writer uses these
/// so that, say, SQLite's <c>long</c> 0/1 becomes a boolean and a text GUID a <see cref="Guid"/> the same way on
/// every engine. Each method throws <see cref="FormatException"/> or <see cref="OverflowException"/> for a value
/// that does not fit; the writer turns that into an error naming the row and column.
/// </summary>
internal static class ValueConversion
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool ToBoolean(object value) => value switch
    {
        bool b => b,
        long or int or short or sbyte or byte or ushort or uint or ulong or decimal or BigInteger
            => Convert.ToDecimal(value, Invariant) switch { 0m => false, 1m => true, _ => throw new FormatException() },
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "yes" or "y" or "on" => true,
            "false" or "f" or "0" or "no" or "n" or "off" => false,
            _ => throw new FormatException(),
        },
        _ => throw new FormatException(),
    };

    public static long ToInt64(object value) => value switch
    {
        long l => l,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, Invariant),
        ulong u => checked((long)u),
        bool b => b ? 1 : 0,
        BigInteger big => (long)big,
        ExactDecimal { IsInteger: true } exact => (long)exact.Unscaled,
        decimal d when d == decimal.Truncate(d) => decimal.ToInt64(d),
        double f when f == Math.Truncate(f) => checked((long)f),
        float f when f == MathF.Truncate(f) => checked((long)f),
        string s => long.Parse(s.Trim(), NumberStyles.Integer, Invariant),
        _ => throw new FormatException(),
    };

    public static int ToInt32(object value) => value is int i ? i : checked((int)ToInt64(value));

    public static short ToInt16(object value) => value is short s ? s : checked((short)ToInt64(value));

    public static decimal ToDecimal(object value) => value switch
    {
        decimal d => d,
        long or int or short or sbyte or byte or ushort or uint or ulong => Convert.ToDecimal(value, Invariant),
        BigInteger big => (decimal)big,
        // A double carries ~15 significant digits; decimal's conversion keeps exactly those, so 1.1 stays 1.1.
        double f => Convert.ToDecimal(f, Invariant),
        float f => Convert.ToDecimal(f, Invariant),
        bool b => b ? 1m : 0m,
        // decimal.Parse rounds a 30-digit text to 29 digits without an error; the exact parse refuses instead.
        string s => ExactDecimal.Parse(s).ToDecimal(),
        ExactDecimal exact => exact.ToDecimal(),
        _ => throw new FormatException(),
    };

    public static double ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        string s => double.Parse(s.Trim(), NumberStyles.Float, Invariant),
        BigInteger big => (double)big,
        ExactDecimal exact => double.Parse(exact.ToString(), NumberStyles.Float, Invariant),
        bool b => b ? 1 : 0,
        IConvertible c => c.ToDouble(Invariant),
        _ => throw new FormatException(),
    };

    public static float ToSingle(object value) => value is float f ? f : (float)ToDouble(value);

    public static BigInteger ToBigInteger(object value) => value switch
    {
        BigInteger big => big,
        ulong u => u,
        decimal d when d == decimal.Truncate(d) => new BigInteger(d),
        ExactDecimal { IsInteger: true } exact => exact.Unscaled,
        string s => BigInteger.Parse(s.Trim(), NumberStyles.Integer, Invariant),
        _ => ToInt64(value),
    };

    public static ulong ToUInt64(object value) => value switch
    {
        ulong u => u,
        BigInteger big => (ulong)big,
        decimal d when d == decimal.Truncate(d) => decimal.ToUInt64(d),
        string s => ulong.Parse(s.Trim(), NumberStyles.Integer, Invariant),
        _ => checked((ulong)ToInt64(value)),
    };

    public static string ToText(object value) => value switch
    {
        string s => s,
        char c => c.ToString(),
        bool b => b ? "true" : "false",
        DateTime dt => FormatTimestamp(dt),
        DateTimeOffset dto => FormatTimestampTz(dto),
        DateOnly d => d.ToString("yyyy-MM-dd", Invariant),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", Invariant),
        TimeSpan ts => ts.ToString("c", Invariant),
        Guid g => g.ToString("D"),
        byte[] bytes => Convert.ToHexStringLower(bytes),
        Stream stream => Convert.ToHexStringLower(ToBytes(stream)),
        IFormattable f => f.ToString(null, Invariant),
        _ => value.ToString() ?? "",
    };

    public static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        DateTimeOffset dto => DateOnly.FromDateTime(dto.DateTime),
        string s => DateOnly.FromDateTime(ParseTimestamp(s).DateTime),
        _ => throw new FormatException(),
    };

    public static TimeOnly ToTime(object value) => value switch
    {
        TimeOnly t => t,
        TimeSpan ts => TimeOnly.FromTimeSpan(ts),
        DateTime dt => TimeOnly.FromDateTime(dt),
        string s => TimeOnly.Parse(s.Trim(), Invariant),
        _ => throw new FormatException(),
    };

    /// <summary>
    /// A wall-clock timestamp (no zone) with <see cref="DateTimeKind.Unspecified"/>, as timestamp columns need.
    /// An instant (UTC or offset value) becomes its UTC wall clock, so the result does not depend on the host's zone.
    /// </summary>
    public static DateTime ToTimestamp(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Unspecified } dt => dt,
        DateTime dt => DateTime.SpecifyKind(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt, DateTimeKind.Unspecified),
        DateTimeOffset dto => DateTime.SpecifyKind(dto.UtcDateTime, DateTimeKind.Unspecified),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        string s => HasZone(s)
            ? DateTime.SpecifyKind(ParseTimestamp(s).UtcDateTime, DateTimeKind.Unspecified)
            : DateTime.SpecifyKind(ParseTimestamp(s).DateTime, DateTimeKind.Unspecified),
        _ => throw new FormatException(),
    };

    /// <summary>
    /// An instant as a UTC <see cref="DateTime"/>, as timestamptz columns need. A timestamp without a zone
    /// (Unspecified, or text without an offset) is taken to be UTC, which is how Pipekit stores instants.
    /// </summary>
    public static DateTime ToTimestampUtc(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Utc } dt => dt,
        DateTime { Kind: DateTimeKind.Local } dt => dt.ToUniversalTime(),
        DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        DateTimeOffset dto => dto.UtcDateTime,
        DateOnly d => DateTime.SpecifyKind(d.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc),
        string s => ParseTimestamp(s).UtcDateTime,
        _ => throw new FormatException(),
    };

    public static Guid ToGuid(object value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s.Trim()),
        // 16 raw bytes are read in RFC 4122 (network) order, the order PostgreSQL and DuckDB print.
        byte[] { Length: 16 } bytes => new Guid(bytes, bigEndian: true),
        _ => throw new FormatException(),
    };

    public static byte[] ToBytes(object value) => value switch
    {
        byte[] bytes => bytes,
        Stream stream => ReadAll(stream),
        string s => System.Text.Encoding.UTF8.GetBytes(s),
        Guid g => g.ToByteArray(bigEndian: true),
        _ => throw new FormatException(),
    };

    public static string FormatTimestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Invariant).TrimEnd('.');

    public static string FormatTimestampTz(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Invariant).TrimEnd('.') + "+00:00";

    /// <summary>The value as a short quoted preview for an error message.</summary>
    public static string Preview(object? value)
    {
        if (value is null or DBNull) return "NULL";
        string text;
        try { text = ToText(value); } catch (Exception) { text = value.GetType().Name; }
        return text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…'";
    }

    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek) stream.Position = 0;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // The ISO forms SQLite and text exports use, tried exactly first: general parsing is several times slower.
    private static readonly string[] IsoForms =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd",
    ];

    private static DateTimeOffset ParseTimestamp(string text)
    {
        var t = text.Trim();
        return DateTimeOffset.TryParseExact(t, IsoForms, Invariant, DateTimeStyles.AssumeUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(t, Invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces);
    }

    internal static bool HasZone(string text)
    {
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z')) return true;
        // An offset follows the time part: the last '+' or a '-' after the time's ':'.
        var time = t.IndexOf(':');
        return time > 0 && t.AsSpan(time).IndexOfAny('+', '-') >= 0;
    }
}
