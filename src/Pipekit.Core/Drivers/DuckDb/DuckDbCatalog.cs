namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// DuckDB introspection through its INFORMATION_SCHEMA views, limited to the current database: attached
/// databases and the temp/system catalogs would otherwise show up too.
/// </summary>
internal sealed class DuckDbCatalog() : InformationSchemaCatalog("$")
{
    protected override IReadOnlyList<string> SystemSchemas { get; } = ["information_schema", "pg_catalog"];

    protected override string? CatalogCondition(string catalogColumn) => $"{catalogColumn} = current_database()";

    /// <summary>The destination's columns and declared types for the appender: <c>column_name, data_type</c> in column order.</summary>
    public CatalogQuery WriteColumns(TableName table) => table.Schema is null
        ? CatalogQuery.Of(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() " +
            "AND schema_name = current_schema() AND table_name = $table ORDER BY column_index",
            ("table", table.Table))
        : CatalogQuery.Of(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() " +
            "AND schema_name = $schema AND table_name = $table ORDER BY column_index",
            ("schema", table.Schema), ("table", table.Table));
}
