using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>One result column as SQLDescribeCol and SQLColAttribute report it.</summary>
internal sealed record OdbcColumn(
    int Ordinal,
    string Name,
    short SqlTypeCode,
    long Size,
    short DecimalDigits,
    bool? AllowDbNull,
    string TypeName)
{
    public OdbcValueKind Kind { get; } = KindOf(SqlTypeCode);

    public Type FieldType => Kind switch
    {
        OdbcValueKind.String => typeof(string),
        OdbcValueKind.Decimal => typeof(decimal),
        OdbcValueKind.Boolean => typeof(bool),
        OdbcValueKind.Int16 => typeof(short),
        OdbcValueKind.Int32 => typeof(int),
        OdbcValueKind.Int64 => typeof(long),
        OdbcValueKind.Single => typeof(float),
        OdbcValueKind.Double => typeof(double),
        OdbcValueKind.Date => typeof(DateTime),
        OdbcValueKind.Time => typeof(TimeSpan),
        OdbcValueKind.Timestamp => typeof(DateTime),
        OdbcValueKind.Binary => typeof(byte[]),
        OdbcValueKind.Guid => typeof(Guid),
        _ => typeof(object),
    };

    /// <summary>
    /// Maps an ODBC SQL type to the way it is read. Types ODBC has no C struct for (intervals,
    /// time zones, driver-specific codes) arrive as text, which every driver can produce.
    /// </summary>
    public static OdbcValueKind KindOf(short sqlType) => sqlType switch
    {
        SqlType.Numeric or SqlType.Decimal => OdbcValueKind.Decimal,
        SqlType.Bit => OdbcValueKind.Boolean,
        SqlType.TinyInt or SqlType.SmallInt => OdbcValueKind.Int16,
        SqlType.Integer => OdbcValueKind.Int32,
        SqlType.BigInt => OdbcValueKind.Int64,
        SqlType.Real => OdbcValueKind.Single,
        SqlType.Float or SqlType.Double => OdbcValueKind.Double,
        SqlType.TypeDate or SqlType.Date2 => OdbcValueKind.Date,
        SqlType.TypeTime or SqlType.Time2 => OdbcValueKind.Time,
        SqlType.TypeTimestamp or SqlType.Timestamp2 => OdbcValueKind.Timestamp,
        SqlType.Binary or SqlType.VarBinary or SqlType.LongVarBinary => OdbcValueKind.Binary,
        SqlType.Guid => OdbcValueKind.Guid,
        _ => OdbcValueKind.String,
    };

    /// <summary>The ODBC name of a SQL type code, for when a driver does not report its own type name.</summary>
    public static string OdbcTypeName(short sqlType) => sqlType switch
    {
        SqlType.Char => "CHAR",
        SqlType.Numeric => "NUMERIC",
        SqlType.Decimal => "DECIMAL",
        SqlType.Integer => "INTEGER",
        SqlType.SmallInt => "SMALLINT",
        SqlType.Float => "FLOAT",
        SqlType.Real => "REAL",
        SqlType.Double => "DOUBLE",
        SqlType.VarChar => "VARCHAR",
        SqlType.TypeDate or SqlType.Date2 => "DATE",
        SqlType.TypeTime or SqlType.Time2 => "TIME",
        SqlType.TypeTimestamp or SqlType.Timestamp2 => "TIMESTAMP",
        SqlType.LongVarChar => "LONGVARCHAR",
        SqlType.Binary => "BINARY",
        SqlType.VarBinary => "VARBINARY",
        SqlType.LongVarBinary => "LONGVARBINARY",
        SqlType.BigInt => "BIGINT",
        SqlType.TinyInt => "TINYINT",
        SqlType.Bit => "BIT",
        SqlType.WChar => "WCHAR",
        SqlType.WVarChar => "WVARCHAR",
        SqlType.WLongVarChar => "WLONGVARCHAR",
        SqlType.Guid => "GUID",
        _ => $"SQL type {sqlType}",
    };
}
