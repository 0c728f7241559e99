namespace Pipekit.Core.Drivers.Postgres;

/// <summary>PostgreSQL's SQL: double-quoted identifiers, <c>schema.table</c>, and its type names.</summary>
internal sealed class PostgresDialect : AnsiSqlDialect
{
    public PostgresDialect()
    {
        Ddl = new PostgresDdl(this);
        Catalog = new PostgresCatalog(this);
    }

    public override string Name => "postgres";

    public override IDdlDialect Ddl { get; }

    public override ICatalogQueries Catalog { get; }

    protected override string? DefaultSchema => "public";

    public override string RenderType(PortableType type) => type.Kind switch
    {
        PortableKind.Boolean => "boolean",
        PortableKind.Int16 => "smallint",
        PortableKind.Int32 => "integer",
        PortableKind.Int64 => "bigint",
        // numeric's precision tops out at 1000; a wider source keeps its digits in an unconstrained numeric.
        PortableKind.Decimal when type.Precision is > 0 and <= 1000 => $"numeric({type.Precision},{type.Scale ?? 0})",
        PortableKind.Decimal => "numeric",
        PortableKind.Float32 => "real",
        PortableKind.Float64 => "double precision",
        // char/varchar become text everywhere: lengths are a source's storage detail, and text never truncates.
        PortableKind.Text => "text",
        PortableKind.Date => "date",
        PortableKind.Time => "time",
        PortableKind.Timestamp => "timestamp",
        PortableKind.TimestampTz => "timestamptz",
        PortableKind.Uuid => "uuid",
        PortableKind.Binary => "bytea",
        PortableKind.Json => "jsonb",
        PortableKind.Interval => "interval",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no PostgreSQL type for this portable type"),
    };

    protected override PortableType? MapTypeName(string baseName, int? length, int? precision, int? scale) => baseName switch
    {
        "money" => new PortableType(PortableKind.Decimal, 19, 2),
        "timetz" or "time with time zone" => new PortableType(PortableKind.Time),
        "xml" => new PortableType(PortableKind.Text),
        "oid" => new PortableType(PortableKind.Int64),
        "interval" => new PortableType(PortableKind.Interval),
        _ => base.MapTypeName(baseName, length, precision, scale),
    };
}
