namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>DuckDB's SQL: PostgreSQL-like quoting and schemas (<c>main</c>), plus its unsigned and huge integers.</summary>
internal sealed class DuckDbDialect : AnsiSqlDialect
{
    public DuckDbDialect()
    {
        Ddl = new DuckDbDdl(this);
        Catalog = new DuckDbCatalog();
    }

    public override string Name => "duckdb";

    public override IDdlDialect Ddl { get; }

    public override ICatalogQueries Catalog { get; }

    protected override string? DefaultSchema => "main";

    public override string RenderType(PortableType type) => type.Kind switch
    {
        PortableKind.Boolean => "BOOLEAN",
        PortableKind.Int16 => "SMALLINT",
        PortableKind.Int32 => "INTEGER",
        PortableKind.Int64 => "BIGINT",
        PortableKind.Decimal when type.Precision is > 0 and <= 38 => $"DECIMAL({type.Precision},{type.Scale ?? 0})",
        // DuckDB decimals stop at 38 digits; an unconstrained or wider numeric becomes DOUBLE, as DuckDB's own
        // PostgreSQL scanner does, rather than a fixed scale that would round or overflow real values.
        PortableKind.Decimal => "DOUBLE",
        PortableKind.Float32 => "REAL",
        PortableKind.Float64 => "DOUBLE",
        PortableKind.Text => "VARCHAR",
        PortableKind.Date => "DATE",
        PortableKind.Time => "TIME",
        PortableKind.Timestamp => "TIMESTAMP",
        PortableKind.TimestampTz => "TIMESTAMPTZ",
        PortableKind.Uuid => "UUID",
        PortableKind.Binary => "BLOB",
        PortableKind.Json => "JSON",
        PortableKind.Interval => "INTERVAL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no DuckDB type for this portable type"),
    };

    protected override PortableType? MapTypeName(string baseName, int? length, int? precision, int? scale) => baseName switch
    {
        // Each unsigned type widens to the next signed one that holds its whole range.
        "tinyint" or "int1" or "utinyint" => new PortableType(PortableKind.Int16),
        "usmallint" => new PortableType(PortableKind.Int32),
        "uinteger" => new PortableType(PortableKind.Int64),
        "ubigint" => new PortableType(PortableKind.Decimal, 20, 0),
        "hugeint" or "int128" or "uhugeint" => new PortableType(PortableKind.Decimal, 38, 0),
        "varint" or "bignum" => new PortableType(PortableKind.Decimal),
        // DuckDB's FLOAT is four bytes.
        "float" => new PortableType(PortableKind.Float32),
        "timestamp_s" or "timestamp_ms" or "timestamp_ns" => new PortableType(PortableKind.Timestamp),
        "time with time zone" or "timetz" => new PortableType(PortableKind.Time),
        "bytea" or "varbinary" => new PortableType(PortableKind.Binary),
        "interval" => new PortableType(PortableKind.Interval),
        _ => base.MapTypeName(baseName, length, precision, scale),
    };
}
