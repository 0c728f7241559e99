using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.Results;

/// <summary>One column's Arrow type and the builder that collects a batch of its values.</summary>
internal abstract class ArrowColumn
{
    public abstract IArrowType Type { get; }

    public abstract void Append(DuckDBDataReader reader, int ordinal);

    public abstract void AppendNull();

    /// <summary>The batch so far, as an array; the builder starts over.</summary>
    public abstract IArrowArray Build();

    public static ArrowColumn For(ResultColumn column, Redactor redactor) => column.Kind switch
    {
        ColumnKind.Boolean => new Typed<BooleanArray, BooleanArray.Builder>(BooleanType.Default, new BooleanArray.Builder(), (b, r, i) => b.Append(r.GetBoolean(i))),
        ColumnKind.Integer => column.Type.ToUpperInvariant() switch
        {
            "TINYINT" => new Typed<Int8Array, Int8Array.Builder>(Int8Type.Default, new Int8Array.Builder(), (b, r, i) => b.Append(r.GetFieldValue<sbyte>(i))),
            "SMALLINT" => new Typed<Int16Array, Int16Array.Builder>(Int16Type.Default, new Int16Array.Builder(), (b, r, i) => b.Append(r.GetInt16(i))),
            "INTEGER" => new Typed<Int32Array, Int32Array.Builder>(Int32Type.Default, new Int32Array.Builder(), (b, r, i) => b.Append(r.GetInt32(i))),
            "UTINYINT" => new Typed<UInt8Array, UInt8Array.Builder>(UInt8Type.Default, new UInt8Array.Builder(), (b, r, i) => b.Append(r.GetByte(i))),
            "USMALLINT" => new Typed<UInt16Array, UInt16Array.Builder>(UInt16Type.Default, new UInt16Array.Builder(), (b, r, i) => b.Append(r.GetFieldValue<ushort>(i))),
            "UINTEGER" => new Typed<UInt32Array, UInt32Array.Builder>(UInt32Type.Default, new UInt32Array.Builder(), (b, r, i) => b.Append(r.GetFieldValue<uint>(i))),
            "UBIGINT" => new Typed<UInt64Array, UInt64Array.Builder>(UInt64Type.Default, new UInt64Array.Builder(), (b, r, i) => b.Append(r.GetFieldValue<ulong>(i))),
            _ => new Typed<Int64Array, Int64Array.Builder>(Int64Type.Default, new Int64Array.Builder(), (b, r, i) => b.Append(r.GetInt64(i))),
        },
        ColumnKind.Float => new Typed<FloatArray, FloatArray.Builder>(FloatType.Default, new FloatArray.Builder(), (b, r, i) => b.Append(r.GetFloat(i))),
        ColumnKind.Double => new Typed<DoubleArray, DoubleArray.Builder>(DoubleType.Default, new DoubleArray.Builder(), (b, r, i) => b.Append(r.GetDouble(i))),
        ColumnKind.DecimalNumber or ColumnKind.DecimalText when DecimalType(column.Type) is { } decimalType && decimalType.Precision <= 28 =>
            new Typed<Decimal128Array, Decimal128Array.Builder>(decimalType, new Decimal128Array.Builder(decimalType), (b, r, i) => b.Append(r.GetDecimal(i))),
        ColumnKind.Blob => new Typed<BinaryArray, BinaryArray.Builder>(BinaryType.Default, new BinaryArray.Builder(),
            (b, r, i) => b.Append(ResultValues.ReadBytes(r, i).AsSpan())),
        ColumnKind.Date => new Typed<Date32Array, Date32Array.Builder>(Date32Type.Default, new Date32Array.Builder(),
            (b, r, i) => b.Append(r.GetFieldValue<DateOnly>(i).ToDateTime(TimeOnly.MinValue))),
        ColumnKind.Time => new Typed<Time64Array, Time64Array.Builder>(new Time64Type(TimeUnit.Microsecond), new Time64Array.Builder(TimeUnit.Microsecond),
            (b, r, i) => b.Append(r.GetFieldValue<TimeOnly>(i).Ticks / 10)),
        ColumnKind.Timestamp => Timestamps(null),
        ColumnKind.TimestampTz => Timestamps("UTC"),
        _ => new Typed<StringArray, StringArray.Builder>(StringType.Default, new StringArray.Builder(),
            (b, r, i) => b.Append(ResultValues.Text(r, i, column.Kind, redactor))),
    };

    private static ArrowColumn Timestamps(string? zone)
    {
        var type = new TimestampType(TimeUnit.Microsecond, zone);
        return new Typed<TimestampArray, TimestampArray.Builder>(type, new TimestampArray.Builder(type),
            (b, r, i) => b.Append(new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc))));
    }

    private static Decimal128Type? DecimalType(string type)
    {
        var upper = type.ToUpperInvariant();
        if (!upper.StartsWith("DECIMAL(", StringComparison.Ordinal)) return null;
        var parts = upper[8..^1].Split(',');
        return new Decimal128Type(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class Typed<TArray, TBuilder>(IArrowType type, TBuilder builder, Action<TBuilder, DuckDBDataReader, int> append) : ArrowColumn
        where TArray : IArrowArray
        where TBuilder : IArrowArrayBuilder<TArray, TBuilder>
    {
        public override IArrowType Type => type;

        public override void Append(DuckDBDataReader reader, int ordinal) => append(builder, reader, ordinal);

        public override void AppendNull() => builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = builder.Build(default);
            builder.Clear();
            return array;
        }
    }
}
