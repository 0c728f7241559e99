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
    private readonly Kind _kind;

    public DuckDbWriteColumn(string name, string dataType)
    {
        Name = name;
        DataType = dataType;
        _type = DeclaredType.Parse(dataType);
        _kind = KindOf(_type.BaseName);
        Staged = _kind == Kind.Decimal && _type.First > MaxDecimalDigits || _kind == Kind.Interval;
    }

    /// <summary>
    /// A column the Appender cannot write exactly, so its value is appended as exact text into a VARCHAR copy of the
    /// column and cast by DuckDB when the rows are inserted: a DECIMAL wider than System.Decimal's 28 digits (the
    /// Appender takes only a rounded decimal) or an INTERVAL (the Appender takes only a TimeSpan, which has no months).
    /// </summary>
    public bool Staged { get; }

    private const int MaxDecimalDigits = 28;

    public string Name { get; }

    public string DataType { get; }

    public void Append(IDuckDBAppenderRow row, object value)
    {
        if (Staged)
        {
            row.AppendValue(_kind == Kind.Interval ? IntervalValue.From(value).ToString() : FitExact(ExactDecimal.From(value)).ToString());
            return;
        }
        switch (_kind)
        {
            case Kind.Boolean: row.AppendValue((bool?)ValueConversion.ToBoolean(value)); break;
            case Kind.TinyInt: row.AppendValue((sbyte?)checked((sbyte)ValueConversion.ToInt64(value))); break;
            case Kind.SmallInt: row.AppendValue((short?)ValueConversion.ToInt16(value)); break;
            case Kind.Integer: row.AppendValue((int?)ValueConversion.ToInt32(value)); break;
            case Kind.BigInt: row.AppendValue((long?)ValueConversion.ToInt64(value)); break;
            case Kind.HugeInt: row.AppendValue((BigInteger?)ValueConversion.ToBigInteger(value)); break;
            case Kind.UTinyInt: row.AppendValue((byte?)checked((byte)ValueConversion.ToInt64(value))); break;
            case Kind.USmallInt: row.AppendValue((ushort?)checked((ushort)ValueConversion.ToInt64(value))); break;
            case Kind.UInteger: row.AppendValue((uint?)checked((uint)ValueConversion.ToInt64(value))); break;
            case Kind.UBigInt: row.AppendValue((ulong?)ValueConversion.ToUInt64(value)); break;
            case Kind.Float: row.AppendValue((float?)ValueConversion.ToSingle(value)); break;
            case Kind.Double: row.AppendValue((double?)ValueConversion.ToDouble(value)); break;
            case Kind.Decimal:
                row.AppendValue((decimal?)(value is decimal d ? FitDecimal(d) : _type.First is null ? ValueConversion.ToDecimal(value) : FitExact(ExactDecimal.From(value)).ToDecimal()));
                break;
            case Kind.Date: row.AppendValue((DateOnly?)ValueConversion.ToDate(value)); break;
            case Kind.Time: row.AppendValue((TimeOnly?)ValueConversion.ToTime(value)); break;
            case Kind.Timestamp: row.AppendValue((DateTime?)ValueConversion.ToTimestamp(value)); break;
            case Kind.TimestampTz: row.AppendValue((DateTimeOffset?)new DateTimeOffset(ValueConversion.ToTimestampUtc(value))); break;
            case Kind.Uuid: row.AppendValue((Guid?)ValueConversion.ToGuid(value)); break;
            case Kind.Blob: row.AppendValue(ValueConversion.ToBytes(value)); break;
            default: row.AppendValue(ValueConversion.ToText(value)); break;
        }
    }

    private enum Kind
    {
        Text, Boolean, TinyInt, SmallInt, Integer, BigInt, HugeInt, UTinyInt, USmallInt, UInteger, UBigInt,
        Float, Double, Decimal, Date, Time, Timestamp, TimestampTz, Uuid, Blob, Interval,
    }

    private static Kind KindOf(string baseName) => baseName switch
    {
        "boolean" or "bool" => Kind.Boolean,
        "tinyint" => Kind.TinyInt,
        "smallint" => Kind.SmallInt,
        "integer" or "int" => Kind.Integer,
        "bigint" => Kind.BigInt,
        "hugeint" => Kind.HugeInt,
        "utinyint" => Kind.UTinyInt,
        "usmallint" => Kind.USmallInt,
        "uinteger" => Kind.UInteger,
        "ubigint" => Kind.UBigInt,
        "float" or "real" => Kind.Float,
        "double" => Kind.Double,
        "decimal" or "numeric" => Kind.Decimal,
        "date" => Kind.Date,
        "time" => Kind.Time,
        "timestamp" or "datetime" or "timestamp_s" or "timestamp_ms" or "timestamp_ns" => Kind.Timestamp,
        "timestamp with time zone" or "timestamptz" => Kind.TimestampTz,
        "uuid" => Kind.Uuid,
        "blob" or "bytea" => Kind.Blob,
        "interval" => Kind.Interval,
        _ => Kind.Text,
    };

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

    /// <summary>As <see cref="FitDecimal"/>, for a value of any width; the refusal names the value's shape.</summary>
    private ExactDecimal FitExact(ExactDecimal value)
    {
        var precision = _type.First!.Value;
        var scale = _type.Second ?? 0;
        var rounded = value.Round(scale);
        if (rounded.IntegerDigits > precision - scale)
            throw new ValuePrecisionException($"the value has {rounded.IntegerDigits} integer digits; {DataType} holds {precision - scale}");
        return rounded;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
