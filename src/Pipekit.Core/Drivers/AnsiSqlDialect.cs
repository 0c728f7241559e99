namespace Pipekit.Core.Drivers;

/// <summary>
/// The shared base of dialects that speak roughly ANSI SQL: quoting with a configurable quote pair,
/// dotted qualification, the ANSI type names, and the wizard's RTRIM default for character columns.
/// An engine derives from it and overrides only where it differs.
/// </summary>
public abstract class AnsiSqlDialect : ISqlDialect
{
    private readonly char _openQuote;
    private readonly char _closeQuote;

    /// <param name="openQuote">Opening identifier quote: <c>"</c>, <c>[</c> or <c>`</c>.</param>
    /// <param name="closeQuote">Closing identifier quote, doubled when it appears inside a name.</param>
    protected AnsiSqlDialect(char openQuote = '"', char closeQuote = '"')
    {
        _openQuote = openQuote;
        _closeQuote = closeQuote;
    }

    public abstract string Name { get; }

    public abstract IDdlDialect Ddl { get; }

    public abstract ICatalogQueries Catalog { get; }

    /// <summary>Renders a portable type as this engine's column type.</summary>
    public abstract string RenderType(PortableType type);

    /// <summary>A single optional <c>schema</c> field; engines with more qualifiers override.</summary>
    public virtual IReadOnlyList<BrowseField> BrowseFields => [new BrowseField("schema", "Schema", false, DefaultSchema)];

    /// <summary>The schema a bare table name resolves to (<c>public</c>, <c>main</c>, <c>dbo</c>), or null.</summary>
    protected virtual string? DefaultSchema => null;

    public virtual string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var doubled = identifier.Replace(_closeQuote.ToString(), new string(_closeQuote, 2), StringComparison.Ordinal);
        return $"{_openQuote}{doubled}{_closeQuote}";
    }

    /// <summary>Joins the qualifiers that are set, outermost first: linked server, database, schema, table.</summary>
    public virtual string QualifyTable(TableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = new List<string>(4);
        if (table.LinkedServer is not null) parts.Add(QuoteIdentifier(table.LinkedServer));
        if (table.Database is not null) parts.Add(QuoteIdentifier(table.Database));
        if (table.Schema is not null) parts.Add(QuoteIdentifier(table.Schema));
        else if (table.Database is not null) parts.Add("");
        parts.Add(QuoteIdentifier(table.Table));
        return string.Join('.', parts);
    }

    public virtual PortableType ToPortable(ColumnInfo column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var declared = DeclaredType.Parse(column.DataType);
        var length = column.Length ?? declared.First;
        var precision = column.Precision ?? declared.First;
        var scale = column.Scale ?? declared.Second;
        // Unknown names travel as text: every engine can hold the value's text form, none can hold a guess.
        return MapTypeName(declared.BaseName, length, precision, scale) ?? new PortableType(PortableKind.Text);
    }

    /// <summary>The RTRIM of a padded character column; the bare quoted column otherwise.</summary>
    public virtual string DefaultExpression(ColumnInfo column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var quoted = QuoteIdentifier(column.Name);
        return IsCharacterType(DeclaredType.Parse(column.DataType).BaseName) ? $"RTRIM({quoted})" : quoted;
    }

    /// <summary>True for the char/varchar family whose values the wizard trims by default.</summary>
    protected virtual bool IsCharacterType(string baseName) => baseName switch
    {
        "char" or "character" or "nchar" or "national character" or "bpchar"
            or "varchar" or "character varying" or "nvarchar" or "national character varying"
            or "varchar2" or "nvarchar2" => true,
        _ => false,
    };

    /// <summary>
    /// Maps a lowercased base type name (arguments removed) to a portable type, or null when unknown.
    /// Covers the ANSI names and the common spellings of PostgreSQL, SQL Server, MySQL and DB2.
    /// </summary>
    protected virtual PortableType? MapTypeName(string baseName, int? length, int? precision, int? scale) => baseName switch
    {
        "boolean" or "bool" => new PortableType(PortableKind.Boolean),
        "smallint" or "int2" or "tinyint" => new PortableType(PortableKind.Int16),
        "integer" or "int" or "int4" or "mediumint" => new PortableType(PortableKind.Int32),
        "bigint" or "int8" => new PortableType(PortableKind.Int64),
        "decimal" or "numeric" or "dec" or "number" => precision is null
            ? new PortableType(PortableKind.Decimal)
            : new PortableType(PortableKind.Decimal, precision, scale ?? 0),
        "real" or "float4" => new PortableType(PortableKind.Float32),
        "float" or "float8" or "double" or "double precision" => new PortableType(PortableKind.Float64),
        "char" or "character" or "nchar" or "national character" or "bpchar"
            or "varchar" or "character varying" or "nvarchar" or "national character varying" or "varchar2" or "nvarchar2"
            or "text" or "ntext" or "tinytext" or "mediumtext" or "longtext" or "clob" or "string" or "citext" or "name"
            => new PortableType(PortableKind.Text, Length: length),
        "date" => new PortableType(PortableKind.Date),
        "time" or "time without time zone" => new PortableType(PortableKind.Time),
        "timestamp" or "timestamp without time zone" or "datetime" or "datetime2" or "smalldatetime"
            => new PortableType(PortableKind.Timestamp),
        "timestamptz" or "timestamp with time zone" or "datetimeoffset" => new PortableType(PortableKind.TimestampTz),
        "uuid" or "uniqueidentifier" => new PortableType(PortableKind.Uuid),
        "bytea" or "blob" or "binary" or "varbinary" or "image" or "tinyblob" or "mediumblob" or "longblob"
            => new PortableType(PortableKind.Binary),
        "json" or "jsonb" => new PortableType(PortableKind.Json),
        _ => null,
    };
}
