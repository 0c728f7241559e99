using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Copy;

/// <summary>
/// The watermark <c>--update-key</c> derives: its resolver reads <c>max(update_key)</c> from the destination and returns
/// it as a SQL literal for the source query, quoted for its type in the destination dialect (numbers bare, everything
/// else as a quoted string). An empty destination gives NULL, and the source condition
/// <c>({since} IS NULL OR key &gt; {since})</c> then takes every row.
/// </summary>
internal static class UpdateKeyWatermark
{
    public const string Name = "since";

    public const string DefaultValue = "NULL";

    public static string Condition(string quotedSourceColumn) => $"({{{Name}}} IS NULL OR {quotedSourceColumn} > {{{Name}}})";

    public static string ResolverSql(ISqlDialect destination, string table, string column, PortableKind kind)
    {
        var max = $"max({destination.QuoteIdentifier(column)})";
        var from = destination.QualifyTable(TableName.Parse(table));
        if (kind is PortableKind.Int16 or PortableKind.Int32 or PortableKind.Int64 or PortableKind.Decimal or PortableKind.Float32 or PortableKind.Float64)
            return $"SELECT {max} FROM {from}";
        return destination.Name switch
        {
            "postgres" => $"SELECT quote_literal({max}::text) FROM {from}",
            "mysql" => $"SELECT CONCAT('''', REPLACE(CAST({max} AS CHAR), '''', ''''''), '''') FROM {from}",
            "sqlserver" => $"SELECT '''' + REPLACE(CONVERT(nvarchar(max), {max}, 121), '''', '''''') + '''' FROM {from}",
            "duckdb" => $"SELECT '''' || replace(CAST({max} AS VARCHAR), '''', '''''') || '''' FROM {from}",
            "db2i" => $"SELECT '''' || REPLACE(VARCHAR({max}), '''', '''''') || '''' FROM {from}",
            _ => $"SELECT '''' || replace(CAST({max} AS TEXT), '''', '''''') || '''' FROM {from}",
        };
    }
}
