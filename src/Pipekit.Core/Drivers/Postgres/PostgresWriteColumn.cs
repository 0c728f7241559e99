using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// A destination column as binary COPY must encode it: the wire type and the conversion a source value goes
/// through first. The type is never inferred from the value, because a wrong guess (a timestamp written as
/// timestamptz, text as varchar of another encoding) can silently change data.
/// </summary>
internal sealed record PostgresWriteColumn(string Name, long TypeOid, string TypeName, string TypeText)
{
    /// <summary>The Npgsql wire type for the catalog type, or null when only the type name identifies it (enums, arrays).</summary>
    public NpgsqlDbType? DbType { get; } = FromTypeName(TypeName);

    /// <summary>
    /// Converts and writes one non-null value. Each branch writes its concrete CLR type, because Npgsql resolves a
    /// converter per generic type once, whereas writing <c>object</c> resolves it again for every value.
    /// </summary>
    public Task WriteAsync(NpgsqlBinaryImporter importer, object value, CancellationToken cancellationToken) => DbType switch
    {
        // A staged wide numeric: the exact digits as text, cast by the server when the rows are inserted.
        NpgsqlDbType.Numeric when Wide => importer.WriteAsync(FitExact(ExactDecimal.From(value)).ToString(), NpgsqlDbType.Text, cancellationToken),
        NpgsqlDbType.Boolean => importer.WriteAsync(ValueConversion.ToBoolean(value), NpgsqlDbType.Boolean, cancellationToken),
        NpgsqlDbType.Smallint => importer.WriteAsync(ValueConversion.ToInt16(value), NpgsqlDbType.Smallint, cancellationToken),
        NpgsqlDbType.Integer => importer.WriteAsync(ValueConversion.ToInt32(value), NpgsqlDbType.Integer, cancellationToken),
        NpgsqlDbType.Bigint => importer.WriteAsync(ValueConversion.ToInt64(value), NpgsqlDbType.Bigint, cancellationToken),
        NpgsqlDbType.Oid => importer.WriteAsync((uint)ValueConversion.ToInt64(value), NpgsqlDbType.Oid, cancellationToken),
        // numeric holds integers beyond decimal's 28 digits (DuckDB HUGEINT); Npgsql writes BigInteger exactly.
        NpgsqlDbType.Numeric when value is BigInteger big => importer.WriteAsync(big, NpgsqlDbType.Numeric, cancellationToken),
        NpgsqlDbType.Numeric when value is not decimal => importer.WriteAsync(FitExact(ExactDecimal.From(value)).ToDecimal(), NpgsqlDbType.Numeric, cancellationToken),
        NpgsqlDbType.Numeric or NpgsqlDbType.Money => importer.WriteAsync(ValueConversion.ToDecimal(value), DbType.Value, cancellationToken),
        NpgsqlDbType.Real => importer.WriteAsync(ValueConversion.ToSingle(value), NpgsqlDbType.Real, cancellationToken),
        NpgsqlDbType.Double => importer.WriteAsync(ValueConversion.ToDouble(value), NpgsqlDbType.Double, cancellationToken),
        NpgsqlDbType.Text or NpgsqlDbType.Varchar or NpgsqlDbType.Char or NpgsqlDbType.Name or NpgsqlDbType.Citext
            or NpgsqlDbType.Json or NpgsqlDbType.Jsonb or NpgsqlDbType.Xml => importer.WriteAsync(ValueConversion.ToText(value), DbType.Value, cancellationToken),
        NpgsqlDbType.Date => importer.WriteAsync(ValueConversion.ToDate(value), NpgsqlDbType.Date, cancellationToken),
        NpgsqlDbType.Time => importer.WriteAsync(ValueConversion.ToTime(value), NpgsqlDbType.Time, cancellationToken),
        NpgsqlDbType.Timestamp => importer.WriteAsync(ValueConversion.ToTimestamp(value), NpgsqlDbType.Timestamp, cancellationToken),
        NpgsqlDbType.TimestampTz => importer.WriteAsync(ValueConversion.ToTimestampUtc(value), NpgsqlDbType.TimestampTz, cancellationToken),
        NpgsqlDbType.Uuid => importer.WriteAsync(ValueConversion.ToGuid(value), NpgsqlDbType.Uuid, cancellationToken),
        NpgsqlDbType.Bytea => importer.WriteAsync(ValueConversion.ToBytes(value), NpgsqlDbType.Bytea, cancellationToken),
        NpgsqlDbType.Interval when value is TimeSpan span => importer.WriteAsync(span, NpgsqlDbType.Interval, cancellationToken),
        // An interval with months (read as IntervalValue text) has no TimeSpan; NpgsqlInterval carries the three parts.
        NpgsqlDbType.Interval => importer.WriteAsync(ToNpgsqlInterval(IntervalValue.From(value)), NpgsqlDbType.Interval, cancellationToken),
        // Enums, arrays, extension types: the value as the source gave it, named by its PostgreSQL type.
        _ => importer.WriteAsync(value is Stream stream ? ValueConversion.ToBytes(stream) : value, TypeName, cancellationToken),
    };

    /// <summary>
    /// A numeric column that holds more than System.Decimal's 28 digits (numeric(p,s) with p above 28, or numeric
    /// without a precision). Binary COPY writes numeric only from a decimal or an integer, so the writer stages such a
    /// column as text and lets the server cast it: every digit arrives.
    /// </summary>
    public bool Wide { get; } = TypeName == "numeric" && (NumericTypmod(TypeText) is not { } p || p.Precision > 28);

    private static NpgsqlInterval ToNpgsqlInterval(IntervalValue value) => new(value.Months, value.Days, value.Microseconds);

    /// <summary>Rounds to the column's scale (half away from zero, as PostgreSQL does) and refuses more integer digits than the column holds.</summary>
    private ExactDecimal FitExact(ExactDecimal value)
    {
        if (NumericTypmod(TypeText) is not { } typmod) return value;
        var rounded = value.Round(typmod.Scale);
        if (rounded.IntegerDigits > typmod.Precision - typmod.Scale)
            throw new ValuePrecisionException($"the value has {rounded.IntegerDigits} integer digits; {TypeText} holds {typmod.Precision - typmod.Scale}");
        return rounded;
    }

    private static (int Precision, int Scale)? NumericTypmod(string typeText)
    {
        var declared = Drivers.DeclaredType.Parse(typeText);
        return declared.First is { } precision ? (precision, declared.Second ?? 0) : null;
    }

    internal static NpgsqlDbType? FromTypeName(string typeName) => typeName switch
    {
        "bool" => NpgsqlDbType.Boolean,
        "int2" => NpgsqlDbType.Smallint,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        "oid" => NpgsqlDbType.Oid,
        "numeric" => NpgsqlDbType.Numeric,
        "money" => NpgsqlDbType.Money,
        "float4" => NpgsqlDbType.Real,
        "float8" => NpgsqlDbType.Double,
        "text" => NpgsqlDbType.Text,
        "varchar" => NpgsqlDbType.Varchar,
        "bpchar" => NpgsqlDbType.Char,
        "name" => NpgsqlDbType.Name,
        "citext" => NpgsqlDbType.Citext,
        "json" => NpgsqlDbType.Json,
        "jsonb" => NpgsqlDbType.Jsonb,
        "xml" => NpgsqlDbType.Xml,
        "date" => NpgsqlDbType.Date,
        "time" => NpgsqlDbType.Time,
        "timestamp" => NpgsqlDbType.Timestamp,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "interval" => NpgsqlDbType.Interval,
        "uuid" => NpgsqlDbType.Uuid,
        "bytea" => NpgsqlDbType.Bytea,
        _ => null,
    };
}
