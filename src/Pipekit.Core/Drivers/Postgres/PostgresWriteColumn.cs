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

    public object Convert(object value) => DbType switch
    {
        NpgsqlDbType.Boolean => ValueConversion.ToBoolean(value),
        NpgsqlDbType.Smallint => ValueConversion.ToInt16(value),
        NpgsqlDbType.Integer => ValueConversion.ToInt32(value),
        NpgsqlDbType.Bigint or NpgsqlDbType.Oid => ValueConversion.ToInt64(value),
        // numeric holds integers beyond decimal's 28 digits (DuckDB HUGEINT); Npgsql writes BigInteger exactly.
        NpgsqlDbType.Numeric => value is System.Numerics.BigInteger ? value : ValueConversion.ToDecimal(value),
        NpgsqlDbType.Money => ValueConversion.ToDecimal(value),
        NpgsqlDbType.Real => ValueConversion.ToSingle(value),
        NpgsqlDbType.Double => ValueConversion.ToDouble(value),
        NpgsqlDbType.Text or NpgsqlDbType.Varchar or NpgsqlDbType.Char or NpgsqlDbType.Name or NpgsqlDbType.Citext
            or NpgsqlDbType.Json or NpgsqlDbType.Jsonb or NpgsqlDbType.Xml => ValueConversion.ToText(value),
        NpgsqlDbType.Date => ValueConversion.ToDate(value),
        NpgsqlDbType.Time => ValueConversion.ToTime(value),
        NpgsqlDbType.Timestamp => ValueConversion.ToTimestamp(value),
        NpgsqlDbType.TimestampTz => ValueConversion.ToTimestampUtc(value),
        NpgsqlDbType.Uuid => ValueConversion.ToGuid(value),
        NpgsqlDbType.Bytea => ValueConversion.ToBytes(value),
        NpgsqlDbType.Interval => value is TimeSpan ? value : TimeSpan.Parse(ValueConversion.ToText(value), System.Globalization.CultureInfo.InvariantCulture),
        _ => value is Stream stream ? ValueConversion.ToBytes(stream) : value,
    };

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
