using System.Globalization;

namespace Pipekit.Query.Results;

/// <summary>
/// Maps a DuckDB type name (as <c>DESCRIBE</c> prints it) to how Pipekit reads and encodes it, and to the
/// expression that makes the value readable when the ADO.NET provider cannot read it as it is: nested values become
/// JSON text through DuckDB's own <c>to_json</c>, wide decimals and rarer types (BIT, TIME WITH TIME ZONE, VARINT …)
/// become text through a cast, nanosecond timestamps become ISO 8601 text. So every type has an encoding and none
/// fails half-way through a response.
/// </summary>
internal static class ColumnTypes
{
    /// <summary>The kind of a type, and the expression over positional reference <c>#n</c> when the value needs converting first.</summary>
    public static (ColumnKind Kind, string? Conversion) Classify(string type, int position)
    {
        var reference = "#" + position.ToString(CultureInfo.InvariantCulture);
        var upper = type.ToUpperInvariant();
        switch (upper)
        {
            case "BOOLEAN": return (ColumnKind.Boolean, null);
            case "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT":
                return (ColumnKind.Integer, null);
            case "HUGEINT" or "UHUGEINT": return (ColumnKind.BigInteger, null);
            case "FLOAT": return (ColumnKind.Float, null);
            case "DOUBLE": return (ColumnKind.Double, null);
            case "VARCHAR": return (ColumnKind.Text, null);
            case "BLOB": return (ColumnKind.Blob, null);
            case "UUID": return (ColumnKind.Uuid, null);
            case "DATE": return (ColumnKind.Date, null);
            case "TIME": return (ColumnKind.Time, null);
            case "TIMESTAMP" or "TIMESTAMP_MS" or "TIMESTAMP_S": return (ColumnKind.Timestamp, null);
            case "TIMESTAMP WITH TIME ZONE": return (ColumnKind.TimestampTz, null);
            case "TIMESTAMP_NS": return (ColumnKind.Text, $"strftime({reference}, '%Y-%m-%dT%H:%M:%S.%n')");
            case "INTERVAL": return (ColumnKind.Interval, null);
            case "JSON": return (ColumnKind.Json, $"CAST({reference} AS VARCHAR)");
        }
        if (upper.StartsWith("ENUM(", StringComparison.Ordinal)) return (ColumnKind.Text, null);
        if (upper.StartsWith("DECIMAL(", StringComparison.Ordinal))
        {
            var precision = int.Parse(upper.AsSpan(8, upper.IndexOf(',', StringComparison.Ordinal) - 8), CultureInfo.InvariantCulture);
            // A double holds 15 significant digits exactly; System.Decimal holds 28, so wider values are cast to text by DuckDB.
            if (precision <= 15) return (ColumnKind.DecimalNumber, null);
            if (precision <= 28) return (ColumnKind.DecimalText, null);
            return (ColumnKind.DecimalText, $"CAST({reference} AS VARCHAR)");
        }
        if (upper.EndsWith(']') || upper.StartsWith("STRUCT(", StringComparison.Ordinal) || upper.StartsWith("MAP(", StringComparison.Ordinal)
            || upper.StartsWith("UNION(", StringComparison.Ordinal))
            return (ColumnKind.Json, $"to_json({reference})");
        return (ColumnKind.Text, $"CAST({reference} AS VARCHAR)");
    }

    /// <summary>
    /// For an Arrow result, the expression over <c>#n</c> that makes DuckDB's own Arrow export send the type Pipekit
    /// promises (<see cref="ArrowTypes"/>) where DuckDB's native choice differs: HUGEINT (DuckDB: decimal128(38, 0)), UUID
    /// and ENUM (DuckDB: a dictionary) become text, second and millisecond timestamps become microsecond ones. Null when
    /// <see cref="Classify"/>'s conversion (or none) already gives the right type.
    /// </summary>
    public static string? ArrowConversion(string type, int position)
    {
        var reference = "#" + position.ToString(CultureInfo.InvariantCulture);
        var upper = type.ToUpperInvariant();
        if (upper is "HUGEINT" or "UHUGEINT" or "UUID" || upper.StartsWith("ENUM(", StringComparison.Ordinal)) return $"CAST({reference} AS VARCHAR)";
        if (upper is "TIMESTAMP_MS" or "TIMESTAMP_S") return $"CAST({reference} AS TIMESTAMP)";
        return null;
    }
}
