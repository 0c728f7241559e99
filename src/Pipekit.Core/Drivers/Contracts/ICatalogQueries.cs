namespace Pipekit.Core.Drivers;

/// <summary>
/// Introspection SQL for one engine. Every query returns the normalised column names documented on
/// each method, so one reader maps the results of every engine.
/// </summary>
public interface ICatalogQueries
{
    /// <summary>Returns <c>schema_name</c>.</summary>
    CatalogQuery ListSchemas();

    /// <summary>Returns <c>schema_name, table_name, table_type</c>; qualifiers filter (e.g. schema).</summary>
    CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers);

    /// <summary>
    /// Returns <c>column_name, data_type, char_length, numeric_precision, numeric_scale, is_nullable, ordinal</c>,
    /// ordered by ordinal.
    /// </summary>
    CatalogQuery ListColumns(TableName table);

    /// <summary>True when the table exists: any row returned means yes.</summary>
    CatalogQuery TableExists(TableName table);
}

/// <summary>
/// Catalog SQL with parameters written as the engine spells them (<c>@name</c>; <c>$name</c> for DuckDB; positional
/// <c>?</c> in parameter order for ODBC). Parameter names are given without the prefix.
/// </summary>
public sealed record CatalogQuery(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters)
{
    public static CatalogQuery Of(string sql, params (string Name, object? Value)[] parameters) =>
        new(sql, parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList());
}
