using System.Globalization;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// The SQL Server dialect. A table may be reached through another database or a linked server, so a name
/// has up to four parts (seed 002): <c>[schema].[table]</c>, <c>[db].[schema].[table]</c>,
/// <c>[linked].[db].[schema].[table]</c>.
/// </summary>
internal sealed class SqlServerDialect : ISqlDialect
{
    public const string DefaultSchema = "dbo";

    public SqlServerDialect()
    {
        Ddl = new SqlServerDdl(this);
        Catalog = new SqlServerCatalog(this);
    }

    public string Name => "sqlserver";

    public IReadOnlyList<BrowseField> BrowseFields { get; } =
    [
        new("linked_server", "Linked server", Required: false),
        new("database", "Database", Required: false),
        new("schema", "Schema", Required: false, DefaultValue: DefaultSchema),
    ];

    public IDdlDialect Ddl { get; }

    public ICatalogQueries Catalog { get; }

    public string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
    }

    public string QualifyTable(TableName table)
    {
        var name = QuoteIdentifier(table.Table);
        var schema = SchemaOf(table);
        if (table.LinkedServer is not null)
            // an empty database part means the linked server login's default database
            return $"{QuoteIdentifier(table.LinkedServer)}.{(table.Database is null ? "" : QuoteIdentifier(table.Database))}.{QuoteIdentifier(schema!)}.{name}";
        if (table.Database is not null)
            return $"{QuoteIdentifier(table.Database)}.{QuoteIdentifier(schema!)}.{name}";
        return schema is null ? name : $"{QuoteIdentifier(schema)}.{name}";
    }

    public PortableType ToPortable(ColumnInfo column)
    {
        var (name, first, second) = ParseType(column.DataType);
        return name switch
        {
            "bit" => new(PortableKind.Boolean),
            // tinyint is 0-255, outside a signed byte
            "tinyint" or "smallint" => new(PortableKind.Int16),
            "int" => new(PortableKind.Int32),
            "bigint" => new(PortableKind.Int64),
            "decimal" or "numeric" => new(PortableKind.Decimal, first ?? column.Precision ?? 18, second ?? column.Scale ?? 0),
            "money" => new(PortableKind.Decimal, 19, 4),
            "smallmoney" => new(PortableKind.Decimal, 10, 4),
            "real" => new(PortableKind.Float32),
            "float" => new((first ?? column.Precision ?? 53) <= 24 ? PortableKind.Float32 : PortableKind.Float64),
            "char" or "varchar" or "nchar" or "nvarchar" => new(PortableKind.Text, Length: TextLength(first, column.Length)),
            "text" or "ntext" or "xml" or "sysname" => new(PortableKind.Text),
            "json" => new(PortableKind.Json),
            "date" => new(PortableKind.Date),
            "time" => new(PortableKind.Time),
            "datetime" or "datetime2" or "smalldatetime" => new(PortableKind.Timestamp),
            "datetimeoffset" => new(PortableKind.TimestampTz),
            "uniqueidentifier" => new(PortableKind.Uuid),
            "binary" or "varbinary" or "image" or "rowversion" or "timestamp" => new(PortableKind.Binary),
            _ => throw new DriverException(
                $"column '{column.Name}' has SQL Server type '{column.DataType}', which Pipekit cannot map; cast it in the source query (e.g. CAST(col AS nvarchar(max)))"),
        };
    }

    public string RenderType(PortableType type) => type.Kind switch
    {
        PortableKind.Boolean => "bit",
        PortableKind.Int16 => "smallint",
        PortableKind.Int32 => "int",
        PortableKind.Int64 => "bigint",
        PortableKind.Decimal => RenderDecimal(type),
        PortableKind.Float32 => "real",
        PortableKind.Float64 => "float",
        // nvarchar(max) whatever the source length: UTF-16 holds any text, and a bounded length would turn a
        // wider value in a later run into a truncation error
        PortableKind.Text => "nvarchar(max)",
        PortableKind.Date => "date",
        PortableKind.Time => "time(7)",
        PortableKind.Timestamp => "datetime2(7)",
        PortableKind.TimestampTz => "datetimeoffset(7)",
        PortableKind.Uuid => "uniqueidentifier",
        PortableKind.Binary => "varbinary(max)",
        PortableKind.Json => "nvarchar(max)",
        PortableKind.Interval => "nvarchar(max)",
        _ => throw new DriverException($"type {type} has no SQL Server rendering"),
    };

    public string DefaultExpression(ColumnInfo column)
    {
        var quoted = QuoteIdentifier(column.Name);
        return ParseType(column.DataType).Name is "char" or "varchar" or "nchar" or "nvarchar" ? $"RTRIM({quoted})" : quoted;
    }

    /// <summary>The schema a table is named with: dbo when a database or linked server is given without one.</summary>
    internal static string? SchemaOf(TableName table) =>
        table.Schema ?? (table.Database is not null || table.LinkedServer is not null ? DefaultSchema : null);

    /// <summary>The prefix before INFORMATION_SCHEMA for a table's database and linked server: <c>[linked].[db].</c>.</summary>
    internal string CatalogPrefix(string? linkedServer, string? database)
    {
        if (linkedServer is not null) return $"{QuoteIdentifier(linkedServer)}.{(database is null ? "" : QuoteIdentifier(database))}.";
        return database is null ? "" : $"{QuoteIdentifier(database)}.";
    }

    /// <summary>An N'…' string literal.</summary>
    internal static string Literal(string text) => "N'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    // DECIMAL holds at most 38 digits. An unconstrained numeric (PostgreSQL's numeric) gets 38 with 10
    // after the point, a common middle ground; wider values fail loudly at load rather than lose digits.
    private static string RenderDecimal(PortableType type)
    {
        if (type.Precision is null) return "decimal(38,10)";
        var precision = Math.Clamp(type.Precision.Value, 1, 38);
        var scale = Math.Clamp(type.Scale ?? 0, 0, precision);
        return $"decimal({precision},{scale})";
    }

    // INFORMATION_SCHEMA gives -1 for (max); both it and "max" in a type text mean no length
    private static int? TextLength(int? fromType, int? fromCatalog) =>
        (fromType ?? fromCatalog) is { } length and > 0 ? length : null;

    /// <summary>Reads <c>decimal(18,2)</c>, <c>nvarchar(max)</c> or a bare <c>int</c> as lower-case name and numbers.</summary>
    private static (string Name, int? First, int? Second) ParseType(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var open = t.IndexOf('(');
        if (open < 0) return (t, null, null);
        var close = t.IndexOf(')', open);
        var args = t[(open + 1)..(close > open ? close : t.Length)].Split(',');
        return (t[..open].Trim(), ParseInt(args[0]), args.Length > 1 ? ParseInt(args[1]) : null);
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
