using System.Globalization;

namespace Pipekit.Core.Drivers;

/// <summary>
/// An interval as PostgreSQL and DuckDB both hold it: months, days and microseconds, each with its own sign
/// ('1 year 2 mons -3 days 04:05:06' is 14 months, −3 days and 14,706,000,000 µs). A TimeSpan has no months, and a
/// month or a day has no fixed length, so neither provider reads such an interval as a TimeSpan: the sources read an
/// interval column as this value's text (<see cref="ToString"/>, which both engines cast back exactly) and the writers
/// parse it here.
/// </summary>
internal readonly record struct IntervalValue(int Months, int Days, long Microseconds)
{
    private const long MicrosPerSecond = 1_000_000;

    /// <summary>A TimeSpan as both providers write one: whole days, then the rest in microseconds (ticks below a microsecond are dropped, as they do).</summary>
    public static IntervalValue FromTimeSpan(TimeSpan value) =>
        new(0, value.Days, (value.Ticks - value.Days * TimeSpan.TicksPerDay) / 10);

    /// <summary>Any source value an interval column can take: a TimeSpan, or interval text in PostgreSQL's, DuckDB's or this type's spelling.</summary>
    public static IntervalValue From(object value) => value switch
    {
        IntervalValue interval => interval,
        TimeSpan span => FromTimeSpan(span),
        string text => Parse(text),
        _ => throw new FormatException("not an interval"),
    };

    /// <summary>
    /// The text both engines read back exactly: <c>14 months -3 days 14706789012 microseconds</c>. PostgreSQL and DuckDB
    /// keep each part as written, so the value round-trips without any normalisation.
    /// </summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Months} months {Days} days {Microseconds} microseconds");

    /// <summary>The value as a TimeSpan; an interval with months has no fixed length and is refused.</summary>
    public TimeSpan ToTimeSpan()
    {
        if (Months != 0) throw new OverflowException("an interval with months has no fixed length");
        return checked(TimeSpan.FromDays(Days) + TimeSpan.FromTicks(Microseconds * 10));
    }

    /// <summary>
    /// Parses units (<c>1 year 2 mons -3 days</c>, <c>5 microseconds</c>, <c>1.5 seconds</c>) and a signed time of day
    /// (<c>+04:05:06.789012</c>, <c>-00:00:00.000001</c>), as PostgreSQL (IntervalStyle postgres) and DuckDB print
    /// intervals, and .NET's TimeSpan text (<c>3.04:05:06.789</c>). Anything else is refused.
    /// </summary>
    public static IntervalValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) throw new FormatException("an empty interval");
        long months = 0, days = 0, micros = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Contains(':', StringComparison.Ordinal))
            {
                micros = checked(micros + ParseTime(token, out var timeDays));
                days = checked(days + timeDays);
                continue;
            }
            if (i + 1 >= tokens.Length) throw new FormatException($"'{token}' has no unit");
            var unit = tokens[++i].ToLowerInvariant();
            switch (unit)
            {
                case "year" or "years" or "yr" or "yrs" or "y":
                    months = checked(months + 12 * Whole(token));
                    break;
                case "month" or "months" or "mon" or "mons":
                    months = checked(months + Whole(token));
                    break;
                case "week" or "weeks" or "w":
                    days = checked(days + 7 * Whole(token));
                    break;
                case "day" or "days" or "d":
                    days = checked(days + Whole(token));
                    break;
                case "hour" or "hours" or "hr" or "hrs" or "h":
                    micros = checked(micros + 3600 * MicrosPerSecond * Whole(token));
                    break;
                case "minute" or "minutes" or "min" or "mins" or "m":
                    micros = checked(micros + 60 * MicrosPerSecond * Whole(token));
                    break;
                case "second" or "seconds" or "sec" or "secs" or "s":
                    micros = checked(micros + Seconds(token));
                    break;
                case "millisecond" or "milliseconds" or "msec" or "msecs" or "ms":
                    micros = checked(micros + 1000 * Whole(token));
                    break;
                case "microsecond" or "microseconds" or "usec" or "usecs" or "us":
                    micros = checked(micros + Whole(token));
                    break;
                default:
                    throw new FormatException($"'{tokens[i]}' is not an interval unit");
            }
        }
        return new IntervalValue(checked((int)months), checked((int)days), micros);
    }

    private static long Whole(string token) =>
        long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{token}' is not a whole number");

    /// <summary>
    /// Seconds in microseconds. Digits after the sixth must be zeros (TimeSpan text has seven): a finer value would be
    /// rounded, so it is refused.
    /// </summary>
    private static long Seconds(string token)
    {
        var negative = token.StartsWith('-');
        var body = token.TrimStart('-', '+');
        var point = body.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? body : body[..point];
        var fraction = point < 0 ? "" : body[(point + 1)..];
        if (fraction.Length > 6 && fraction[6..].All(c => c == '0')) fraction = fraction[..6];
        if (whole.Length == 0 && fraction.Length == 0 || fraction.Length > 6
            || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
            throw new FormatException($"'{token}' is not a number of seconds to the microsecond");
        var micros = checked((whole.Length == 0 ? 0 : long.Parse(whole, CultureInfo.InvariantCulture)) * MicrosPerSecond
                             + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(6, '0'), CultureInfo.InvariantCulture)));
        return negative ? -micros : micros;
    }

    /// <summary>
    /// A signed time of day, <c>[+-]H:MM[:SS[.ffffff]]</c>, in microseconds, the sign applying to all of it; .NET's
    /// <c>[-]d.hh:mm:ss.fffffff</c> gives its days separately.
    /// </summary>
    private static long ParseTime(string token, out long days)
    {
        days = 0;
        var negative = token.StartsWith('-');
        var body = token.TrimStart('-', '+');
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && dot < colon)
        {
            days = Whole(body[..dot]);
            body = body[(dot + 1)..];
        }
        var parts = body.Split(':');
        if (parts.Length is < 2 or > 3 || parts[..^1].Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
            throw new FormatException($"'{token}' is not a time of day");
        var micros = checked(long.Parse(parts[0], CultureInfo.InvariantCulture) * 3600 * MicrosPerSecond
                             + long.Parse(parts[1], CultureInfo.InvariantCulture) * 60 * MicrosPerSecond
                             + (parts.Length == 3 ? Seconds(parts[2]) : 0));
        if (negative)
        {
            days = -days;
            micros = -micros;
        }
        return micros;
    }
}
