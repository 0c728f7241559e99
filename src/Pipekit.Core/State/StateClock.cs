using System.Globalization;

namespace Pipekit.Core.State;

/// <summary>
/// Timestamps in the state store are ISO 8601 UTC text with a fixed width, so they sort as text and read
/// the same from SQLite and, later, PostgreSQL.
/// </summary>
public static class StateClock
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
