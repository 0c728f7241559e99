namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// SQLite's SQL: double-quoted identifiers, no schemas to browse, and declared types read through SQLite's
/// type-affinity rules so that any declared type text maps to something sensible.
/// </summary>
internal sealed class SqliteDialect : AnsiSqlDialect
{
    public SqliteDialect()
    {
        Ddl = new SqliteDdl(this);
        Catalog = new SqliteCatalog();
    }

    public override string Name => "sqlite";

    public override IDdlDialect Ddl { get; }

    public override ICatalogQueries Catalog { get; }

    public override IReadOnlyList<BrowseField> BrowseFields { get; } = [];

    public override string RenderType(PortableType type) => type.Kind switch
    {
        PortableKind.Boolean => "BOOLEAN",
        PortableKind.Int16 or PortableKind.Int32 or PortableKind.Int64 => "INTEGER",
        // NUMERIC affinity stores numbers as REAL, which keeps 15 significant digits. Wider or unconstrained
        // decimals are stored as TEXT so that no digit is lost; SQLite still computes with them.
        PortableKind.Decimal when type.Precision is > 0 and <= 15 => $"NUMERIC({type.Precision},{type.Scale ?? 0})",
        PortableKind.Decimal => "TEXT",
        PortableKind.Float32 or PortableKind.Float64 => "REAL",
        PortableKind.Text => "TEXT",
        PortableKind.Date => "DATE",
        PortableKind.Time => "TIME",
        PortableKind.Timestamp => "DATETIME",
        PortableKind.TimestampTz => "TIMESTAMPTZ",
        PortableKind.Uuid => "UUID",
        PortableKind.Binary => "BLOB",
        PortableKind.Json => "JSON",
        // No interval type: the exact text both PostgreSQL and DuckDB cast back (14 months -3 days 14706789012 microseconds).
        PortableKind.Interval => "TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no SQLite type for this portable type"),
    };

    /// <summary>Known names first, then SQLite's own affinity rules (section 3.1 of its datatype documentation).</summary>
    protected override PortableType? MapTypeName(string baseName, int? length, int? precision, int? scale) =>
        SpecificType(baseName, precision, scale) ?? Affinity(baseName);

    /// <summary>A declared type that says more than its affinity; null for affinity-only names (INT, NUM, "").</summary>
    internal static PortableType? SpecificType(string baseName, int? precision, int? scale) => baseName switch
    {
        "boolean" or "bool" => new PortableType(PortableKind.Boolean),
        // Every SQLite integer is 64-bit, whatever its declared width.
        "integer" or "int" or "bigint" or "smallint" or "tinyint" or "mediumint" or "int2" or "int4" or "int8"
            => new PortableType(PortableKind.Int64),
        "decimal" or "numeric" => precision is null
            ? new PortableType(PortableKind.Decimal)
            : new PortableType(PortableKind.Decimal, precision, scale ?? 0),
        "real" or "double" or "double precision" or "float" => new PortableType(PortableKind.Float64),
        "text" or "varchar" or "char" or "character" or "nchar" or "nvarchar" or "clob" or "varying character"
            or "native character" or "character varying" => new PortableType(PortableKind.Text),
        "date" => new PortableType(PortableKind.Date),
        "time" => new PortableType(PortableKind.Time),
        "datetime" or "timestamp" => new PortableType(PortableKind.Timestamp),
        "timestamptz" or "timestamp with time zone" or "datetimeoffset" => new PortableType(PortableKind.TimestampTz),
        "uuid" or "guid" or "uniqueidentifier" => new PortableType(PortableKind.Uuid),
        "blob" => new PortableType(PortableKind.Binary),
        "json" => new PortableType(PortableKind.Json),
        _ => null,
    };

    private static PortableType Affinity(string baseName)
    {
        if (baseName.Contains("int", StringComparison.Ordinal)) return new PortableType(PortableKind.Int64);
        if (baseName.Contains("char", StringComparison.Ordinal) || baseName.Contains("clob", StringComparison.Ordinal)
            || baseName.Contains("text", StringComparison.Ordinal)) return new PortableType(PortableKind.Text);
        if (baseName.Contains("blob", StringComparison.Ordinal)) return new PortableType(PortableKind.Binary);
        // No declared type: the column holds anything; text is the one form every value has.
        if (baseName.Length == 0) return new PortableType(PortableKind.Text);
        if (baseName.Contains("real", StringComparison.Ordinal) || baseName.Contains("floa", StringComparison.Ordinal)
            || baseName.Contains("doub", StringComparison.Ordinal)) return new PortableType(PortableKind.Float64);
        return new PortableType(PortableKind.Decimal);
    }
}
