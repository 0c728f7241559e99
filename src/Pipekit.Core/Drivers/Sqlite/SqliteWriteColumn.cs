using System.Numerics;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// A destination column of SQLite and the storage form its declared type wants. SQLite would store 'abc' in an
/// INTEGER column without complaint, so a column with a specific declared type converts strictly and rejects what
/// does not fit; an affinity-only column (NUM, "", a CTAS staging copy) takes each value in its natural form.
/// </summary>
internal sealed class SqliteWriteColumn
{
    private readonly PortableType? _type;

    public SqliteWriteColumn(string name, string declaredType)
    {
        Name = name;
        DeclaredType = declaredType;
        var declared = Drivers.DeclaredType.Parse(declaredType);
        _type = SqliteDialect.SpecificType(declared.BaseName, declared.First, declared.Second);
    }

    public string Name { get; }

    public string DeclaredType { get; }

    public object Convert(object value) => _type?.Kind switch
    {
        PortableKind.Boolean => ValueConversion.ToBoolean(value) ? 1L : 0L,
        PortableKind.Int16 or PortableKind.Int32 or PortableKind.Int64 => ValueConversion.ToInt64(value),
        PortableKind.Decimal => ToNumeric(value),
        PortableKind.Float32 or PortableKind.Float64 => ValueConversion.ToDouble(value),
        PortableKind.Text or PortableKind.Json => ValueConversion.ToText(value),
        PortableKind.Date => ValueConversion.ToText(ValueConversion.ToDate(value)),
        PortableKind.Time => ValueConversion.ToText(ValueConversion.ToTime(value)),
        PortableKind.Timestamp => ValueConversion.FormatTimestamp(ValueConversion.ToTimestamp(value)),
        PortableKind.TimestampTz => ValueConversion.FormatTimestampTz(ValueConversion.ToTimestampUtc(value)),
        PortableKind.Uuid => ValueConversion.ToGuid(value).ToString("D"),
        PortableKind.Binary => ValueConversion.ToBytes(value),
        _ => Natural(value),
    };

    /// <summary>
    /// A decimal for a NUMERIC-affinity column. SQLite turns numeric text into an INTEGER when it fits 64 bits and
    /// otherwise into a REAL, which keeps 15 significant digits: a wider value is refused rather than rounded.
    /// </summary>
    private static object ToNumeric(object value)
    {
        if (value is decimal d && (d == decimal.Truncate(d) ? d is >= long.MinValue and <= long.MaxValue : Digits(d) <= RealDigits))
            return d;
        var exact = ExactDecimal.From(value);
        if (exact.IsInteger && exact.Unscaled >= long.MinValue && exact.Unscaled <= long.MaxValue) return (long)exact.Unscaled;
        if (exact.SignificantDigits <= RealDigits) return exact.ToString();
        throw new ValuePrecisionException(
            $"the value has {exact.Shape}; a SQLite NUMERIC column stores it as a REAL of {RealDigits} significant digits: declare the column TEXT to keep it exactly");
    }

    private const int RealDigits = 15;

    private static int Digits(decimal value)
    {
        // A decimal's digits without sign, point and trailing zeros after the point.
        var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture).TrimStart('-');
        if (text.Contains('.', StringComparison.Ordinal)) text = text.TrimEnd('0').TrimEnd('.');
        return text.Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length;
    }

    /// <summary>How SQLite holds a value with no type to aim at: numbers as numbers, everything else as ISO text or bytes.</summary>
    private static object Natural(object value) => value switch
    {
        bool b => b ? 1L : 0L,
        DateTime { Kind: DateTimeKind.Utc } dt => ValueConversion.FormatTimestampTz(dt),
        DateTime dt => ValueConversion.FormatTimestamp(dt),
        DateTimeOffset or DateOnly or TimeOnly or TimeSpan or Guid or BigInteger or ExactDecimal => ValueConversion.ToText(value),
        ulong u => u <= long.MaxValue ? (long)u : ValueConversion.ToText(u),
        Stream stream => ValueConversion.ToBytes(stream),
        _ => value,
    };
}
