using System.Globalization;
using System.Text;
using DuckDB.NET.Native;

namespace Pipekit.Query.Results;

/// <summary>The text forms every encoder shares: ISO 8601 dates, times, timestamps and durations, and IEEE special values.</summary>
internal static class ValueText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", Invariant);

    public static string Time(TimeOnly value) => value.ToString("HH:mm:ss.FFFFFF", Invariant);

    public static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", Invariant);

    /// <summary>DuckDB keeps TIMESTAMP WITH TIME ZONE as an instant; the provider hands it over in UTC.</summary>
    public static string TimestampTz(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", Invariant) + "Z";

    /// <summary>NaN and the infinities have no JSON number form, so they are strings.</summary>
    public static string? SpecialDouble(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : null;

    public static string Double(double value) => SpecialDouble(value) ?? value.ToString("R", Invariant);

    public static string Float(float value) => SpecialDouble(value) ?? value.ToString("R", Invariant);

    /// <summary>
    /// An ISO 8601 duration: <c>P1Y2M3DT4H5M6.5S</c>. DuckDB's interval has three independent parts (months, days,
    /// microseconds) that may carry different signs, so each part keeps its own sign (<c>P-1DT2H</c>); zero is <c>PT0S</c>.
    /// </summary>
    public static string Interval(DuckDBInterval value) => Interval(value.Months, value.Days, unchecked((long)value.Micros));

    /// <summary>An interval given by its three parts (as an Arrow interval carries them), in the same form.</summary>
    public static string Interval(int totalMonths, int days, long micros)
    {
        var text = new StringBuilder("P");
        var years = totalMonths / 12;
        var months = totalMonths % 12;
        if (years != 0) text.Append(Invariant, $"{years}Y");
        if (months != 0) text.Append(Invariant, $"{months}M");
        if (days != 0) text.Append(Invariant, $"{days}D");
        if (micros != 0)
        {
            text.Append('T');
            var hours = micros / 3_600_000_000L;
            micros -= hours * 3_600_000_000L;
            var minutes = micros / 60_000_000L;
            micros -= minutes * 60_000_000L;
            if (hours != 0) text.Append(Invariant, $"{hours}H");
            if (minutes != 0) text.Append(Invariant, $"{minutes}M");
            if (micros != 0) text.Append((micros / 1_000_000m).ToString("0.######", Invariant)).Append('S');
        }
        return text.Length == 1 ? "PT0S" : text.ToString();
    }
}
