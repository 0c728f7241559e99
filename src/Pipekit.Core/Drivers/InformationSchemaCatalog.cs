namespace Pipekit.Core.Drivers;

/// <summary>
/// Catalog queries over the SQL-standard <c>INFORMATION_SCHEMA</c> views, shared by the engines that have them.
/// An engine supplies its parameter prefix, the system schemas to hide and, where its views differ, the
/// expressions that produce the normalised columns.
/// </summary>
public abstract class InformationSchemaCatalog : ICatalogQueries
{
    /// <param name="parameterPrefix"><c>@</c>, or <c>$</c> for DuckDB.</param>
    protected InformationSchemaCatalog(string parameterPrefix = "@")
    {
        ParameterPrefix = parameterPrefix;
    }

    protected string ParameterPrefix { get; }

    /// <summary>Schemas that are the engine's own and never hold user tables.</summary>
    protected abstract IReadOnlyList<string> SystemSchemas { get; }

    /// <summary>The schema a table without one lives in, as an SQL expression (<c>current_schema()</c>).</summary>
    protected virtual string CurrentSchemaExpression => "current_schema()";

    /// <summary>The <c>data_type</c> expression over <c>information_schema.columns</c>.</summary>
    protected virtual string DataTypeExpression => "data_type";

    /// <summary>An extra condition on every view (e.g. DuckDB's <c>table_catalog = current_database()</c>), or null.</summary>
    protected virtual string? CatalogCondition(string catalogColumn) => null;

    public virtual CatalogQuery ListSchemas() => CatalogQuery.Of(
        $"SELECT schema_name FROM information_schema.schemata WHERE {NotSystem("schema_name")}{And(CatalogCondition("catalog_name"))} ORDER BY schema_name");

    public virtual CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers)
    {
        ArgumentNullException.ThrowIfNull(qualifiers);
        var schema = qualifiers.TryGetValue("schema", out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        var sql = "SELECT table_schema AS schema_name, table_name, table_type FROM information_schema.tables " +
                  $"WHERE {NotSystem("table_schema")}{And(CatalogCondition("table_catalog"))}" +
                  (schema is null ? "" : $" AND table_schema = {P("schema")}") +
                  " ORDER BY table_schema, table_name";
        return schema is null ? CatalogQuery.Of(sql) : CatalogQuery.Of(sql, ("schema", schema));
    }

    public virtual CatalogQuery ListColumns(TableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sql = $"SELECT column_name, {DataTypeExpression} AS data_type, character_maximum_length AS char_length, " +
                  "numeric_precision, numeric_scale, is_nullable, ordinal_position AS ordinal " +
                  $"FROM information_schema.columns WHERE {TableFilter(table)}{And(CatalogCondition("table_catalog"))} ORDER BY ordinal_position";
        return Parameters(sql, table);
    }

    public virtual CatalogQuery TableExists(TableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sql = $"SELECT 1 FROM information_schema.tables WHERE {TableFilter(table)}{And(CatalogCondition("table_catalog"))}";
        return Parameters(sql, table);
    }

    /// <summary>A parameter placeholder in this engine's spelling.</summary>
    protected string P(string name) => ParameterPrefix + name;

    private string TableFilter(TableName table) =>
        (table.Schema is null ? $"table_schema = {CurrentSchemaExpression}" : $"table_schema = {P("schema")}") +
        $" AND table_name = {P("table")}";

    private static CatalogQuery Parameters(string sql, TableName table) => table.Schema is null
        ? CatalogQuery.Of(sql, ("table", table.Table))
        : CatalogQuery.Of(sql, ("schema", table.Schema), ("table", table.Table));

    /// <summary>The condition that hides the engine's own schemas.</summary>
    protected virtual string NotSystem(string column) =>
        $"{column} NOT IN ({string.Join(", ", SystemSchemas.Select(s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'"))})";

    private static string And(string? condition) => condition is null ? "" : " AND " + condition;
}
