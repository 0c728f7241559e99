using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Drivers.Db2i;

/// <summary>
/// DB2 for i type names, both as written in DDL (<c>DECIMAL(15,4)</c>, <c>VARCHAR(40) FOR BIT DATA</c>)
/// and as QSYS2.SYSCOLUMNS spells them (<c>TIMESTMP</c>, <c>VARG</c>, <c>VARBIN</c>).
/// </summary>
internal static partial class Db2iTypes
{
    // DB2 for i limits: VARCHAR/VARBINARY 32,740 bytes, VARGRAPHIC 16,370 characters, DECIMAL 63 digits.
    private const int MaxVarGraphic = 16370;
    private const int MaxVarBinary = 32740;
    private const int MaxDecimalPrecision = 63;
    private const string LargeText = "NCLOB(1073741823)";
    private const string LargeBinary = "BLOB(2147483647)";

    /// <summary>A parsed type name: upper-case base, optional (a,b) arguments, and FOR BIT DATA.</summary>
    internal readonly record struct Db2Type(string BaseName, int? First, int? Second, bool ForBitData);

    public static Db2Type Parse(string dataType)
    {
        var text = dataType.Trim().ToUpperInvariant();
        var forBitData = text.EndsWith(" FOR BIT DATA", StringComparison.Ordinal);
        if (forBitData) text = text[..^" FOR BIT DATA".Length].TrimEnd();
        var match = TypePattern().Match(text);
        if (!match.Success) return new Db2Type(text, null, null, forBitData);
        int? first = match.Groups["a"].Success ? ParseLength(match.Groups["a"].Value) : null;
        int? second = match.Groups["b"].Success ? int.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture) : null;
        var baseName = Regex.Replace(match.Groups["name"].Value.Trim(), @"\s+", " ");
        return new Db2Type(baseName, first, second, forBitData);
    }

    public static PortableType ToPortable(ColumnInfo column)
    {
        var type = Parse(column.DataType);
        var length = type.First ?? column.Length;
        if (type.ForBitData) return new PortableType(PortableKind.Binary, Length: length);
        return type.BaseName switch
        {
            "SMALLINT" => new PortableType(PortableKind.Int16),
            "INTEGER" or "INT" => new PortableType(PortableKind.Int32),
            "BIGINT" => new PortableType(PortableKind.Int64),
            "DECIMAL" or "DEC" or "NUMERIC" => new PortableType(PortableKind.Decimal,
                type.First ?? column.Precision ?? column.Length ?? 5, type.Second ?? column.Scale ?? 0),
            // DECFLOAT(34) holds more than .NET decimal, but an unconstrained decimal is the nearest type
            "DECFLOAT" => new PortableType(PortableKind.Decimal),
            "REAL" => new PortableType(PortableKind.Float32),
            "DOUBLE" or "DOUBLE PRECISION" => new PortableType(PortableKind.Float64),
            "FLOAT" => IsSingleFloat(type.First, column.Length) ? new PortableType(PortableKind.Float32) : new PortableType(PortableKind.Float64),
            "CHAR" or "CHARACTER" or "VARCHAR" or "CHARACTER VARYING" or "CHAR VARYING" or "LONG VARCHAR"
                or "GRAPHIC" or "VARGRAPHIC" or "VARG" or "LONG VARGRAPHIC" or "NCHAR" or "NVARCHAR" or "NATIONAL CHARACTER"
                or "CLOB" or "DBCLOB" or "NCLOB" or "CHARACTER LARGE OBJECT" or "DATALINK" or "XML" => new PortableType(PortableKind.Text, Length: length),
            "DATE" => new PortableType(PortableKind.Date),
            "TIME" => new PortableType(PortableKind.Time),
            "TIMESTAMP" or "TIMESTMP" => new PortableType(PortableKind.Timestamp),
            "BINARY" or "VARBINARY" or "VARBIN" or "BLOB" or "BINARY LARGE OBJECT" => new PortableType(PortableKind.Binary, Length: length),
            // a ROWID is a VARCHAR(40) FOR BIT DATA the system fills in
            "ROWID" => new PortableType(PortableKind.Binary, Length: 40),
            "BOOLEAN" => new PortableType(PortableKind.Boolean),
            _ => throw new DriverException(
                $"column \"{column.Name}\" has DB2 for i type '{column.DataType}', which Pipekit cannot map; set the destination type by hand"),
        };
    }

    /// <summary>The DB2 for i column type for a portable type. Text is stored as UTF-16 (NVARCHAR, CCSID 1200) so that any character survives.</summary>
    public static string Render(PortableType type) => type.Kind switch
    {
        // BOOLEAN needs IBM i 7.5; older releases would need SMALLINT instead
        PortableKind.Boolean => "BOOLEAN",
        PortableKind.Int16 => "SMALLINT",
        PortableKind.Int32 => "INTEGER",
        PortableKind.Int64 => "BIGINT",
        PortableKind.Decimal when type.Precision is { } p => $"DECIMAL({Math.Min(p, MaxDecimalPrecision)},{Math.Min(type.Scale ?? 0, Math.Min(p, MaxDecimalPrecision))})",
        PortableKind.Decimal => "DECFLOAT(34)",
        PortableKind.Float32 => "REAL",
        PortableKind.Float64 => "DOUBLE",
        PortableKind.Text when type.Length is > 0 and <= MaxVarGraphic => $"NVARCHAR({type.Length})",
        PortableKind.Text or PortableKind.Json or PortableKind.Interval => LargeText,
        PortableKind.Date => "DATE",
        PortableKind.Time => "TIME",
        // DB2 for i has no time zone type; the ODBC writer sends instants as UTC
        PortableKind.Timestamp or PortableKind.TimestampTz => "TIMESTAMP",
        PortableKind.Uuid => "CHAR(36)",
        PortableKind.Binary when type.Length is > 0 and <= MaxVarBinary => $"VARBINARY({type.Length})",
        PortableKind.Binary => LargeBinary,
        _ => throw new DriverException($"portable type {type} has no DB2 for i rendering"),
    };

    /// <summary>
    /// In DDL, FLOAT(n) is single precision up to 24 bits of mantissa; SYSCOLUMNS instead reports REAL
    /// and DOUBLE both as FLOAT with a byte LENGTH of 4 or 8.
    /// </summary>
    private static bool IsSingleFloat(int? declaredBits, int? catalogBytes) =>
        declaredBits is { } bits ? bits <= 24 : catalogBytes == 4;

    private static int ParseLength(string text)
    {
        // LOB lengths may carry K/M/G multipliers: CLOB(1M)
        var multiplier = text[^1] switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L };
        var digits = multiplier == 1 ? text : text[..^1];
        return (int)Math.Min(long.Parse(digits, CultureInfo.InvariantCulture) * multiplier, int.MaxValue);
    }

    [GeneratedRegex(@"\A(?<name>[A-Z][A-Z ]*?)\s*(\(\s*(?<a>\d+[KMG]?)\s*(,\s*(?<b>\d+)\s*)?\))?(\s+CCSID\s+\d+)?\z")]
    private static partial Regex TypePattern();
}
