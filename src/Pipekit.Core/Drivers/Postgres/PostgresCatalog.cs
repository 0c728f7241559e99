namespace Pipekit.Core.Drivers.Postgres;

/// <summary>PostgreSQL introspection through INFORMATION_SCHEMA, plus the pg_catalog lookup bulk writes need.</summary>
internal sealed class PostgresCatalog(ISqlDialect dialect) : InformationSchemaCatalog("@")
{
    protected override IReadOnlyList<string> SystemSchemas { get; } = ["pg_catalog", "information_schema", "pg_toast"];

    /// <summary>Enums, domains over them and arrays report USER-DEFINED/ARRAY; their udt_name says more.</summary>
    protected override string DataTypeExpression =>
        "CASE WHEN data_type IN ('USER-DEFINED', 'ARRAY') THEN udt_name ELSE data_type END";

    protected override string NotSystem(string column) =>
        base.NotSystem(column) + $" AND {column} NOT LIKE 'pg\\_temp\\_%' AND {column} NOT LIKE 'pg\\_toast\\_temp\\_%'";

    /// <summary>
    /// The destination's columns with the type a value must be encoded as: for a domain, its base type. Returns
    /// <c>column_name, type_oid, type_name, type_text</c> in column order; no rows when the table does not exist.
    /// </summary>
    public CatalogQuery WriteColumns(TableName table) => CatalogQuery.Of(
        "SELECT a.attname AS column_name, COALESCE(bt.oid, t.oid)::int8 AS type_oid, " +
        "COALESCE(bt.typname, t.typname)::text AS type_name, format_type(a.atttypid, a.atttypmod) AS type_text " +
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid " +
        "LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype " +
        "WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        ("table", dialect.QualifyTable(table)));
}
