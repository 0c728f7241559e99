using System.Globalization;
using Apache.Arrow.Types;

namespace Pipekit.Query.Results;

/// <summary>
/// The Arrow type Pipekit sends for each result column: booleans, integers, floats, decimals up to 28 digits, dates,
/// times (µs), timestamps (µs; with time zone as UTC) and blobs keep their types; everything else is a string (HUGEINT and
/// UUID as DuckDB's text, intervals as ISO 8601 durations, nested values as JSON, wider decimals as text).
/// </summary>
internal static class ArrowTypes
{
    public static IArrowType For(ResultColumn column) => column.Kind switch
    {
        ColumnKind.Boolean => BooleanType.Default,
        ColumnKind.Integer => column.Type.ToUpperInvariant() switch
        {
            "TINYINT" => Int8Type.Default,
            "SMALLINT" => Int16Type.Default,
            "INTEGER" => Int32Type.Default,
            "UTINYINT" => UInt8Type.Default,
            "USMALLINT" => UInt16Type.Default,
            "UINTEGER" => UInt32Type.Default,
            "UBIGINT" => UInt64Type.Default,
            _ => Int64Type.Default,
        },
        ColumnKind.Float => FloatType.Default,
        ColumnKind.Double => DoubleType.Default,
        ColumnKind.DecimalNumber or ColumnKind.DecimalText when Decimal(column.Type) is { Precision: <= 28 } decimalType => decimalType,
        ColumnKind.Blob => BinaryType.Default,
        ColumnKind.Date => Date32Type.Default,
        ColumnKind.Time => new Time64Type(TimeUnit.Microsecond),
        ColumnKind.Timestamp => new TimestampType(TimeUnit.Microsecond, (string?)null),
        ColumnKind.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        _ => StringType.Default,
    };

    /// <summary>
    /// Whether values DuckDB exported as <paramref name="native"/> are laid out exactly as <paramref name="target"/>
    /// wants them, so the arrays go out as they are. A time zone is only a label on the same UTC instants.
    /// </summary>
    public static bool SameLayout(IArrowType native, IArrowType target) => (native, target) switch
    {
        (TimestampType n, TimestampType t) => n.Unit == t.Unit,
        (Time64Type n, Time64Type t) => n.Unit == t.Unit,
        (Decimal128Type n, Decimal128Type t) => n.Precision == t.Precision && n.Scale == t.Scale,
        (IntervalType, _) or (_, IntervalType) => false,
        _ => native.TypeId == target.TypeId,
    };

    /// <summary>How a type prints in an error: its name and parameters.</summary>
    public static string Describe(IArrowType type) => type switch
    {
        TimestampType t => $"timestamp[{t.Unit}{(t.Timezone is { } zone ? ", " + zone : "")}]",
        Time64Type t => $"time64[{t.Unit}]",
        Decimal128Type d => string.Create(CultureInfo.InvariantCulture, $"decimal128({d.Precision}, {d.Scale})"),
        IntervalType i => $"interval[{i.Unit}]",
        _ => type.Name,
    };

    private static Decimal128Type? Decimal(string type)
    {
        var upper = type.ToUpperInvariant();
        if (!upper.StartsWith("DECIMAL(", StringComparison.Ordinal)) return null;
        var parts = upper[8..^1].Split(',');
        return new Decimal128Type(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
