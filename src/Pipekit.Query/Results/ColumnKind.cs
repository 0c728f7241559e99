namespace Pipekit.Query.Results;

/// <summary>How a result column's values are read and written; chosen once per column from its DuckDB type.</summary>
public enum ColumnKind
{
    Boolean,
    /// <summary>TINYINT … UBIGINT: exact JSON numbers.</summary>
    Integer,
    /// <summary>HUGEINT, UHUGEINT: exact JSON numbers of any length.</summary>
    BigInteger,
    Float,
    Double,
    /// <summary>A DECIMAL a double holds exactly (precision ≤ 15): a JSON number.</summary>
    DecimalNumber,
    /// <summary>A wider DECIMAL: a string, so that no digit is lost.</summary>
    DecimalText,
    Text,
    Blob,
    Uuid,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Interval,
    /// <summary>LIST, ARRAY, STRUCT, MAP, UNION and JSON: DuckDB renders the value as JSON text (<c>to_json</c>).</summary>
    Json,
}
