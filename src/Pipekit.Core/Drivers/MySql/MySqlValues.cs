using System.Numerics;
using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// Turns a value read from any source into one MySQL stores as Pipekit maps it: a Guid becomes its
/// 36-character text (Uuid renders as char(36)), a DateTimeOffset its UTC time (TimestampTz renders as a
/// UTC datetime(6)), a bool 1 or 0 (tinyint(1)). Anything else MySqlConnector cannot send is refused
/// rather than written as its ToString().
/// </summary>
internal static class MySqlValues
{
    /// <summary>
    /// Converts one value; <paramref name="wallClock"/> says the destination column is DATETIME or TIMESTAMP, which
    /// hold no zone: text with a zone offset (SQLite keeps instants as such text) becomes its UTC wall clock there,
    /// as a DateTimeOffset does and as PostgreSQL timestamp and DuckDB TIMESTAMP columns take the same text.
    /// </summary>
    public static bool TryConvert(object? value, bool wallClock, out object converted)
    {
        switch (value)
        {
            case string zoned when wallClock && ValueConversion.HasZone(zoned):
                // Text that does not parse goes as it is, and the server refuses it naming the column and row.
                try { converted = ValueConversion.ToTimestamp(zoned); }
                catch (FormatException) { converted = zoned; }
                return true;
            case null or DBNull:
                converted = DBNull.Value;
                return true;
            case bool b:
                converted = b ? 1 : 0;
                return true;
            case Guid g:
                converted = g.ToString("D");
                return true;
            case DateTimeOffset dto:
                converted = dto.UtcDateTime;
                return true;
            case ExactDecimal exact:
                // Sent as its digits: the server parses DECIMAL text exactly.
                converted = exact.ToString();
                return true;
            case char[] chars:
                converted = new string(chars);
                return true;
            case string or char or sbyte or byte or short or ushort or int or uint or long or ulong
                or float or double or decimal or BigInteger
                or byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte>
                or DateTime or DateOnly or TimeOnly or TimeSpan
                or MySqlDateTime or MySqlDecimal:
                converted = value;
                return true;
            default:
                converted = DBNull.Value;
                return false;
        }
    }

    /// <summary>A rough size on the wire, to keep one INSERT under the server's packet limit.</summary>
    public static int EstimateBytes(object value) => value switch
    {
        // UTF-8 needs up to 3 bytes a UTF-16 unit, and escaping can double a few
        string s => s.Length * 3 + 2,
        byte[] bytes => bytes.Length * 2 + 3,
        _ => 16,
    };
}
