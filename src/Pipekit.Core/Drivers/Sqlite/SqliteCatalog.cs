namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// SQLite introspection through <c>sqlite_master</c> and <c>pragma_table_info</c>. SQLite keeps only the declared
/// type text, so lengths, precisions and scales are parsed from it by the reader (<c>DECIMAL(10,2)</c>).
/// </summary>
internal sealed class SqliteCatalog : ICatalogQueries
{
    public CatalogQuery ListSchemas() => CatalogQuery.Of("SELECT 'main' AS schema_name");

    public CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers) => CatalogQuery.Of(
        "SELECT NULL AS schema_name, name AS table_name, " +
        "CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type " +
        "FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");

    public CatalogQuery ListColumns(TableName table) => Columns(
        "SELECT name AS column_name, type AS data_type, NULL AS char_length, NULL AS numeric_precision, NULL AS numeric_scale, " +
        "CASE WHEN \"notnull\" = 0 THEN 'YES' ELSE 'NO' END AS is_nullable, cid + 1 AS ordinal ",
        table, " ORDER BY cid");

    public CatalogQuery TableExists(TableName table) => Columns("SELECT 1 ", table, " LIMIT 1");

    private static CatalogQuery Columns(string select, TableName table, string tail)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Schema is null
            ? CatalogQuery.Of(select + "FROM pragma_table_info(@table)" + tail, ("table", table.Table))
            : CatalogQuery.Of(select + "FROM pragma_table_info(@table, @schema)" + tail, ("table", table.Table), ("schema", table.Schema));
    }
}
