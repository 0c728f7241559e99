using System.Text;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// The MySQL/MariaDB dialect. A schema is a database here, so <c>schema.table</c> is <c>`db`.`table`</c>.
/// </summary>
internal sealed class MySqlDialect : ISqlDialect
{
    /// <summary>
    /// Run on every connection Pipekit opens. MySQL converts TIMESTAMP values between UTC and the session
    /// time zone; a UTC session reads them as the UTC instants Pipekit maps them to (timestamptz), and lets
    /// a timestamptz written to a DATETIME column be stored as UTC, which is Pipekit's rule for MySQL.
    /// </summary>
    public const string SessionSetup = "SET time_zone = '+00:00'";

    public MySqlDialect()
    {
        Ddl = new MySqlDdl(this);
        Catalog = new MySqlCatalog();
    }

    public string Name => "mysql";

    public IReadOnlyList<BrowseField> BrowseFields { get; } = [new("schema", "Database", Required: false)];

    public IDdlDialect Ddl { get; }

    public ICatalogQueries Catalog { get; }

    public string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    public string QualifyTable(TableName table)
    {
        var database = DatabaseOf(table);
        return database is null
            ? QuoteIdentifier(table.Table)
            : $"{QuoteIdentifier(database)}.{QuoteIdentifier(table.Table)}";
    }

    public PortableType ToPortable(ColumnInfo column)
    {
        var type = MySqlColumnType.Parse(column.DataType);
        return type.Name switch
        {
            // MySQL has no boolean type: BOOL is TINYINT(1), and tinyint(1) holds flags by convention
            "tinyint" when type.First == 1 && !type.Unsigned => new(PortableKind.Boolean),
            "bool" or "boolean" => new(PortableKind.Boolean),
            "bit" when type.First is null or 1 => new(PortableKind.Boolean),
            "bit" => new(PortableKind.Int64),
            // unsigned types need the next wider signed type to hold their top half
            "tinyint" => new(PortableKind.Int16),
            "smallint" => new(type.Unsigned ? PortableKind.Int32 : PortableKind.Int16),
            "mediumint" => new(PortableKind.Int32),
            "int" or "integer" => new(type.Unsigned ? PortableKind.Int64 : PortableKind.Int32),
            "bigint" when type.Unsigned => new(PortableKind.Decimal, 20, 0),
            "bigint" => new(PortableKind.Int64),
            "year" => new(PortableKind.Int16),
            "decimal" or "numeric" or "dec" or "fixed" =>
                new(PortableKind.Decimal, type.First ?? column.Precision ?? 10, type.Second ?? column.Scale ?? 0),
            "float" => new(PortableKind.Float32),
            "double" or "real" => new(PortableKind.Float64),
            "char" or "varchar" => new(PortableKind.Text, Length: type.First ?? column.Length),
            "tinytext" or "text" or "mediumtext" or "longtext" or "enum" or "set" or "inet4" or "inet6" => new(PortableKind.Text),
            "json" => new(PortableKind.Json),
            // MariaDB 10.7+; a CHAR(36) holding UUIDs stays text, as nothing says it holds only UUIDs
            "uuid" => new(PortableKind.Uuid),
            "date" => new(PortableKind.Date),
            "time" => new(PortableKind.Time),
            "datetime" => new(PortableKind.Timestamp),
            // TIMESTAMP is stored as UTC and converted to the session zone, which Pipekit sets to UTC
            "timestamp" => new(PortableKind.TimestampTz),
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => new(PortableKind.Binary),
            _ => throw new DriverException(
                $"column '{column.Name}' has MySQL type '{column.DataType}', which Pipekit cannot map; cast it in the source query (e.g. CAST(col AS CHAR) or ST_AsText(col))"),
        };
    }

    public string RenderType(PortableType type) => type.Kind switch
    {
        PortableKind.Boolean => "tinyint(1)",
        PortableKind.Int16 => "smallint",
        PortableKind.Int32 => "int",
        PortableKind.Int64 => "bigint",
        PortableKind.Decimal => RenderDecimal(type),
        PortableKind.Float32 => "float",
        PortableKind.Float64 => "double",
        // longtext, not varchar(n): varchar lengths count against MySQL's 65,535-byte row limit, which a
        // wide table of utf8mb4 columns (4 bytes a character) exceeds
        PortableKind.Text => "longtext",
        PortableKind.Date => "date",
        PortableKind.Time => "time(6)",
        PortableKind.Timestamp => "datetime(6)",
        // DATETIME rather than TIMESTAMP: TIMESTAMP ends in 2038 and starts in 1970. The writer stores
        // every timestamptz value as UTC, so the column holds UTC wall-clock times.
        PortableKind.TimestampTz => "datetime(6)",
        PortableKind.Uuid => "char(36)",
        PortableKind.Binary => "longblob",
        PortableKind.Json => "json",
        // No interval type (TIME stops at 838 hours and has no months): the exact interval text.
        PortableKind.Interval => "longtext",
        _ => throw new DriverException($"type {type} has no MySQL rendering"),
    };

    public string DefaultExpression(ColumnInfo column)
    {
        var quoted = QuoteIdentifier(column.Name);
        return MySqlColumnType.Parse(column.DataType).Name is "char" or "varchar" ? $"RTRIM({quoted})" : quoted;
    }

    /// <summary>A multi-row INSERT with positional parameters <c>@p0…</c>, row by row.</summary>
    internal string InsertRows(TableName table, IReadOnlyList<string> columns, int rowCount)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(QualifyTable(table)).Append(" (");
        sql.AppendJoin(", ", columns.Select(QuoteIdentifier)).Append(") VALUES ");
        var parameter = 0;
        for (var row = 0; row < rowCount; row++)
        {
            if (row > 0) sql.Append(", ");
            sql.Append('(');
            for (var column = 0; column < columns.Count; column++)
            {
                if (column > 0) sql.Append(", ");
                sql.Append("@p").Append(parameter++);
            }
            sql.Append(')');
        }
        return sql.ToString();
    }

    /// <summary>The database a table lives in; MySQL has no linked servers and no level above the database.</summary>
    internal static string? DatabaseOf(TableName table)
    {
        if (table.LinkedServer is not null)
            throw new DriverException($"table '{table}' names a linked server; MySQL has none");
        if (table.Schema is not null && table.Database is not null)
            throw new DriverException($"table '{table}' has a database and a schema; in MySQL they are the same, so give one (database.table)");
        return table.Schema ?? table.Database;
    }

    // DECIMAL holds at most 65 digits, 30 after the point. An unconstrained numeric (PostgreSQL's
    // numeric) gets the widest MySQL allows rather than a guess at the data.
    private static string RenderDecimal(PortableType type)
    {
        if (type.Precision is null) return "decimal(65,30)";
        var precision = Math.Clamp(type.Precision.Value, 1, 65);
        var scale = Math.Clamp(type.Scale ?? 0, 0, Math.Min(30, precision));
        return $"decimal({precision},{scale})";
    }
}
