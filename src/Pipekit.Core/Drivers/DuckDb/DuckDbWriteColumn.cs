using System.Numerics;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// A destination column as the Appender needs it: the Appender does not cast, so each source value is converted
/// to the exact CLR type of the column's DuckDB type before it is appended.
/// </summary>
internal sealed class DuckDbWriteColumn
{
    private readonly DeclaredType _type;

    public DuckDbWriteColumn(string name, string dataType)
    {
        Name = name;
        DataType = dataType;
        _type = DeclaredType.Parse(dataType);
    }

    public string Name { get; }

    public string DataType { get; }

    public void Append(IDuckDBAppenderRow row, object value)
    {
        switch (_type.BaseName)
        {
            case "boolean" or "bool": row.AppendValue((bool?)ValueConversion.ToBoolean(value)); break;
            case "tinyint": row.AppendValue((sbyte?)checked((sbyte)ValueConversion.ToInt64(value))); break;
            case "smallint": row.AppendValue((short?)ValueConversion.ToInt16(value)); break;
            case "integer" or "int": row.AppendValue((int?)ValueConversion.ToInt32(value)); break;
            case "bigint": row.AppendValue((long?)ValueConversion.ToInt64(value)); break;
            case "hugeint": row.AppendValue((BigInteger?)ValueConversion.ToBigInteger(value)); break;
            case "utinyint": row.AppendValue((byte?)checked((byte)ValueConversion.ToInt64(value))); break;
            case "usmallint": row.AppendValue((ushort?)checked((ushort)ValueConversion.ToInt64(value))); break;
            case "uinteger": row.AppendValue((uint?)checked((uint)ValueConversion.ToInt64(value))); break;
            case "ubigint": row.AppendValue((ulong?)ValueConversion.ToUInt64(value)); break;
            case "float" or "real": row.AppendValue((float?)ValueConversion.ToSingle(value)); break;
            case "double": row.AppendValue((double?)ValueConversion.ToDouble(value)); break;
            case "decimal" or "numeric": row.AppendValue((decimal?)FitDecimal(ValueConversion.ToDecimal(value))); break;
            case "date": row.AppendValue((DateOnly?)ValueConversion.ToDate(value)); break;
            case "time": row.AppendValue((TimeOnly?)ValueConversion.ToTime(value)); break;
            case "timestamp" or "datetime" or "timestamp_s" or "timestamp_ms" or "timestamp_ns":
                row.AppendValue((DateTime?)ValueConversion.ToTimestamp(value)); break;
            case "timestamp with time zone" or "timestamptz":
                row.AppendValue((DateTimeOffset?)new DateTimeOffset(ValueConversion.ToTimestampUtc(value))); break;
            case "uuid": row.AppendValue((Guid?)ValueConversion.ToGuid(value)); break;
            case "blob" or "bytea": row.AppendValue(ValueConversion.ToBytes(value)); break;
            case "interval": row.AppendValue((TimeSpan?)(value is TimeSpan ts ? ts : TimeSpan.Parse(ValueConversion.ToText(value), System.Globalization.CultureInfo.InvariantCulture))); break;
            default: row.AppendValue(ValueConversion.ToText(value)); break;
        }
    }

    /// <summary>
    /// Rounds to the column's scale (half away from zero, as PostgreSQL does) and refuses values with more integer
    /// digits than the column has, instead of letting the Appender wrap or truncate them.
    /// </summary>
    private decimal FitDecimal(decimal value)
    {
        if (_type.First is not { } precision) return value;
        var scale = _type.Second ?? 0;
        var rounded = Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
        var integerDigits = precision - scale;
        if (integerDigits < 29 && Math.Abs(decimal.Truncate(rounded)) >= Pow10(integerDigits))
            throw new OverflowException($"more than {integerDigits} integer digits");
        return rounded;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
