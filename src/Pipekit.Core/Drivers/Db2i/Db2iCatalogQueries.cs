namespace Pipekit.Core.Drivers.Db2i;

/// <summary>
/// Introspection over the QSYS2 catalog views. Aliases are double-quoted because DB2 folds unquoted
/// names to upper case, and the callers read the lower-case names ICatalogQueries documents.
/// Parameters are positional <c>?</c> markers in the order of <see cref="CatalogQuery.Parameters"/>.
/// Without a schema, a table is looked up in CURRENT SCHEMA.
/// </summary>
internal sealed class Db2iCatalogQueries : ICatalogQueries
{
    public CatalogQuery ListSchemas() => CatalogQuery.Of(
        "SELECT SCHEMA_NAME AS \"schema_name\" FROM QSYS2.SYSSCHEMAS ORDER BY SCHEMA_NAME");

    public CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers)
    {
        var schema = qualifiers.TryGetValue("schema", out var value) && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new DriverException("DB2 for i needs a schema (library) to list tables; fill in the schema field");
        return CatalogQuery.Of(
            "SELECT TABLE_SCHEMA AS \"schema_name\", TABLE_NAME AS \"table_name\", " +
            "CASE TABLE_TYPE WHEN 'V' THEN 'VIEW' WHEN 'L' THEN 'VIEW' WHEN 'A' THEN 'ALIAS' ELSE 'BASE TABLE' END AS \"table_type\" " +
            "FROM QSYS2.SYSTABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
            ("schema", schema));
    }

    /// <summary>
    /// SYSCOLUMNS keeps precision in LENGTH for DECIMAL/NUMERIC, reports REAL and DOUBLE as FLOAT of
    /// 4 or 8 bytes, and marks binary CHAR/VARCHAR only by CCSID 65535; the CASEs turn those into
    /// type names <see cref="Db2iDialect.ToPortable"/> reads directly.
    /// </summary>
    public CatalogQuery ListColumns(TableName table) => Filtered(
        "SELECT COLUMN_NAME AS \"column_name\", " +
        "CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR') AND CCSID = 65535 THEN DATA_TYPE || ' FOR BIT DATA' " +
        "WHEN DATA_TYPE = 'FLOAT' AND LENGTH = 4 THEN 'REAL' WHEN DATA_TYPE = 'FLOAT' THEN 'DOUBLE' ELSE DATA_TYPE END AS \"data_type\", " +
        "CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR', 'GRAPHIC', 'VARG', 'CLOB', 'DBCLOB', 'BINARY', 'VARBIN', 'BLOB') THEN LENGTH END AS \"char_length\", " +
        "CASE WHEN DATA_TYPE IN ('DECIMAL', 'NUMERIC') THEN LENGTH END AS \"numeric_precision\", " +
        "NUMERIC_SCALE AS \"numeric_scale\", " +
        "CASE IS_NULLABLE WHEN 'Y' THEN 'YES' ELSE 'NO' END AS \"is_nullable\", " +
        "ORDINAL_POSITION AS \"ordinal\" " +
        "FROM QSYS2.SYSCOLUMNS",
        table,
        " ORDER BY ORDINAL_POSITION");

    public CatalogQuery TableExists(TableName table) => Filtered("SELECT 1 FROM QSYS2.SYSTABLES", table, "");

    private static CatalogQuery Filtered(string select, TableName table, string orderBy) =>
        table.Schema is null
            ? CatalogQuery.Of($"{select} WHERE TABLE_SCHEMA = CURRENT SCHEMA AND TABLE_NAME = ?{orderBy}", ("table", table.Table))
            : CatalogQuery.Of($"{select} WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?{orderBy}", ("schema", table.Schema), ("table", table.Table));
}
