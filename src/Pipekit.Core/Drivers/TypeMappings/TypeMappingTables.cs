using System.Text;

namespace Pipekit.Core.Drivers.TypeMappings;

/// <summary>
/// The type mapping tables of docs/drivers.md, produced from the drivers' own mapping code: each source type goes
/// through the source dialect's <see cref="ISqlDialect.ToPortable"/> and every destination dialect's
/// <see cref="ISqlDialect.RenderType"/>, exactly as the module wizard and a run's CREATE TABLE map it. One table per
/// source engine; each destination column is that pair's mapping.
/// </summary>
internal static class TypeMappingTables
{
    public const string Begin = "<!-- type-mappings:begin (generated from the drivers' code; do not edit by hand) -->";
    public const string End = "<!-- type-mappings:end -->";

    /// <summary>The engines in table order: driver kind, the dialect it maps with, and how the docs name it.</summary>
    private static readonly (string Kind, string? Dialect, string Title)[] Engines =
    [
        ("postgres", null, "PostgreSQL"),
        ("duckdb", null, "DuckDB"),
        ("sqlite", null, "SQLite"),
        ("mysql", null, "MySQL / MariaDB"),
        ("sqlserver", null, "SQL Server"),
        ("odbc", "db2i", "Db2 for i (ODBC)"),
    ];

    /// <summary>The native types shown for each source engine, spelled as its catalog reports them.</summary>
    private static IReadOnlyList<string> SourceTypes(string kind) => kind switch
    {
        "postgres" =>
        [
            "boolean", "smallint", "integer", "bigint", "numeric(15,4)", "numeric(38,10)", "numeric", "real", "double precision",
            "character varying(40)", "character(10)", "text", "date", "time without time zone", "timestamp without time zone",
            "timestamp with time zone", "uuid", "bytea", "json", "jsonb", "interval", "integer[]",
        ],
        "duckdb" =>
        [
            "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "UINTEGER", "UBIGINT", "DECIMAL(15,4)",
            "DECIMAL(38,10)", "FLOAT", "DOUBLE", "VARCHAR", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "UUID", "BLOB",
            "JSON", "INTERVAL", "INTEGER[]",
        ],
        "sqlite" =>
        [
            "INTEGER", "REAL", "NUMERIC", "DECIMAL(10,2)", "DECIMAL(38,10)", "TEXT", "VARCHAR(40)", "BLOB", "BOOLEAN", "DATE",
            "DATETIME", "TIMESTAMPTZ", "UUID", "JSON", "",
        ],
        "mysql" =>
        [
            "tinyint(1)", "tinyint", "smallint", "int", "bigint", "bigint unsigned", "decimal(15,4)", "decimal(38,10)", "float",
            "double", "char(36)", "varchar(40)", "longtext", "date", "time(6)", "datetime(6)", "timestamp(6)", "json", "longblob",
        ],
        "sqlserver" =>
        [
            "bit", "tinyint", "smallint", "int", "bigint", "decimal(15,4)", "decimal(38,10)", "money", "real", "float",
            "nvarchar(40)", "nvarchar(max)", "varchar(max)", "date", "time(7)", "datetime", "datetime2(7)", "datetimeoffset(7)",
            "uniqueidentifier", "varbinary(max)",
        ],
        "odbc" =>
        [
            "SMALLINT", "INTEGER", "BIGINT", "DECIMAL(15,4)", "NUMERIC(31,10)", "REAL", "DOUBLE", "CHAR(10)", "VARCHAR(40)",
            "CLOB", "GRAPHIC(10)", "DATE", "TIME", "TIMESTAMP", "BLOB", "VARBINARY(100)",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The markdown between <see cref="Begin"/> and <see cref="End"/>, markers included.</summary>
    public static string Render(DriverRegistry drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        var dialects = Engines.Select(e => (e.Kind, e.Title, Dialect: drivers.Get(e.Kind).GetDialect(e.Dialect))).ToList();
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        foreach (var source in dialects)
        {
            text.Append('\n').Append("#### From ").Append(source.Title).Append("\n\n");
            text.Append("| ").Append(source.Title).Append(" type | portable |");
            foreach (var destination in dialects) text.Append(" → ").Append(destination.Kind).Append(" |");
            text.Append("\n|---|---|");
            foreach (var _ in dialects) text.Append("---|");
            text.Append('\n');
            foreach (var type in SourceTypes(source.Kind))
            {
                var portable = source.Dialect.ToPortable(new ColumnInfo("c", type));
                text.Append("| ").Append(type.Length == 0 ? "(none)" : Cell(type)).Append(" | ").Append(Cell(portable.ToString())).Append(" |");
                foreach (var destination in dialects) text.Append(' ').Append(Cell(destination.Dialect.RenderType(portable))).Append(" |");
                text.Append('\n');
            }
        }
        text.Append('\n').Append(End);
        return text.ToString();
    }

    /// <summary>A table cell's text: a pipe would end the cell.</summary>
    private static string Cell(string text) => "`" + text.Replace("|", "\\|", StringComparison.Ordinal) + "`";

    /// <summary>The generated section of <paramref name="doc"/>, markers included, or null when it has none.</summary>
    public static string? Extract(string doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var begin = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : doc[begin..(end + End.Length)].ReplaceLineEndings("\n");
    }

    /// <summary><paramref name="doc"/> with its generated section replaced by <paramref name="generated"/>.</summary>
    public static string Replace(string doc, string generated)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var begin = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin) throw new InvalidOperationException("docs/drivers.md has no type-mappings markers");
        return string.Concat(doc.AsSpan(0, begin), generated, doc.AsSpan(end + End.Length));
    }
}
