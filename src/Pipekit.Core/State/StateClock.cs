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

    /// <summary>Reads a stored timestamp: the store's own fixed format quickly, any other ISO 8601 form (as written by hand) too.</summary>
    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.TryParseExact(value, Pattern, CultureInfo.InvariantCulture, Styles, out var exact)
            ? exact
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, Styles);

    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
}
