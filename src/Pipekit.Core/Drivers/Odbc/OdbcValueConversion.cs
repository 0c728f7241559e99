using System.Globalization;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// Converts a fetched value to the type a caller asks for. Beyond numeric widening, it bridges what
/// drivers disagree on: SQLite keeps GUIDs and dates as text, DB2 and PostgreSQL return DATE as a
/// DateTime that callers may want as DateOnly.
/// </summary>
internal static class OdbcValueConversion
{
    public static T To<T>(object value, string column)
    {
        if (value is T same) return same;
        if (value is DBNull)
        {
            if (default(T) is null && typeof(T) != typeof(string)) return default!;
            throw new InvalidCastException($"column \"{column}\" is NULL; check IsDBNull before reading it as {typeof(T).Name}");
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            return (T)Convert(value, target);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidCastException($"column \"{column}\" holds a {value.GetType().Name}, which cannot be read as {target.Name}: {e.Message}", e);
        }
    }

    private static object Convert(object value, Type target)
    {
        if (target == typeof(string))
        {
            return value switch
            {
                DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
        if (target == typeof(Guid))
        {
            return value switch
            {
                string s => Guid.Parse(s),
                byte[] { Length: 16 } b => new Guid(b),
                _ => throw new InvalidCastException($"no conversion to Guid"),
            };
        }
        if (target == typeof(DateOnly))
        {
            return value switch
            {
                DateTime dt => DateOnly.FromDateTime(dt),
                string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException("no conversion to DateOnly"),
            };
        }
        if (target == typeof(TimeOnly))
        {
            return value switch
            {
                TimeSpan t => TimeOnly.FromTimeSpan(t),
                DateTime dt => TimeOnly.FromDateTime(dt),
                string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException("no conversion to TimeOnly"),
            };
        }
        if (target == typeof(TimeSpan))
        {
            return value switch
            {
                string s => TimeSpan.Parse(s, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException("no conversion to TimeSpan"),
            };
        }
        if (target == typeof(DateTime) && value is string text)
            return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (target == typeof(DateTimeOffset))
        {
            return value switch
            {
                DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
                string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException("no conversion to DateTimeOffset"),
            };
        }
        if (target == typeof(bool) && value is string flag)
        {
            // drivers that describe booleans as text (psqlodbc's BoolsAsChar) send 1/0 or t/f
            return flag.Trim().ToLowerInvariant() switch
            {
                "1" or "t" or "true" or "y" or "yes" => true,
                "0" or "f" or "false" or "n" or "no" => false,
                _ => throw new FormatException($"'{flag}' is not a boolean"),
            };
        }
        if (target == typeof(byte[]) && value is string) throw new InvalidCastException("text is not binary data");
        if (target.IsEnum) return Enum.ToObject(target, value);
        return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}
