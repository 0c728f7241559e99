namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// INFORMATION_SCHEMA queries for MySQL 8.0.16+ and MariaDB 10.2+. <c>data_type</c> is COLUMN_TYPE
/// (<c>tinyint(1)</c>, <c>int(10) unsigned</c>), which keeps what DATA_TYPE drops; a table without a schema
/// is looked up in the connection's current database.
/// </summary>
internal sealed class MySqlCatalog : ICatalogQueries
{
    private const string SystemSchemas = "'information_schema', 'mysql', 'performance_schema', 'sys'";

    public CatalogQuery ListSchemas() => CatalogQuery.Of(
        $"SELECT SCHEMA_NAME AS schema_name FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN ({SystemSchemas}) ORDER BY SCHEMA_NAME");

    // With no schema given, every user database is listed: browsing starts from the whole server.
    public CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers) => CatalogQuery.Of(
        "SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM INFORMATION_SCHEMA.TABLES " +
        $"WHERE (@schema IS NULL AND TABLE_SCHEMA NOT IN ({SystemSchemas})) OR TABLE_SCHEMA = @schema ORDER BY TABLE_SCHEMA, TABLE_NAME",
        ("schema", Qualifier(qualifiers, "schema")));

    // MariaDB stores JSON as LONGTEXT plus a CHECK (json_valid(`col`)) constraint, and reports the type as
    // longtext; the constraint is what tells it apart. MySQL reports json itself.
    public CatalogQuery ListColumns(TableName table) => CatalogQuery.Of(
        "SELECT c.COLUMN_NAME AS column_name, " +
        "CASE WHEN c.DATA_TYPE = 'longtext' AND EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc " +
        "JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME " +
        "WHERE tc.TABLE_SCHEMA = c.TABLE_SCHEMA AND tc.TABLE_NAME = c.TABLE_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' " +
        "AND cc.CHECK_CLAUSE = CONCAT('json_valid(`', c.COLUMN_NAME, '`)')) THEN 'json' ELSE c.COLUMN_TYPE END AS data_type, " +
        // LONGTEXT's 4,294,967,295 does not fit an int and says nothing a null does not
        "CAST(CASE WHEN c.CHARACTER_MAXIMUM_LENGTH > 2147483647 THEN NULL ELSE c.CHARACTER_MAXIMUM_LENGTH END AS SIGNED) AS char_length, " +
        "CAST(c.NUMERIC_PRECISION AS SIGNED) AS numeric_precision, CAST(c.NUMERIC_SCALE AS SIGNED) AS numeric_scale, " +
        "c.IS_NULLABLE AS is_nullable, CAST(c.ORDINAL_POSITION AS SIGNED) AS ordinal " +
        "FROM INFORMATION_SCHEMA.COLUMNS c WHERE c.TABLE_SCHEMA = COALESCE(@schema, DATABASE()) AND c.TABLE_NAME = @table " +
        "ORDER BY c.ORDINAL_POSITION",
        ("schema", MySqlDialect.DatabaseOf(table)), ("table", table.Table));

    public CatalogQuery TableExists(TableName table) => CatalogQuery.Of(
        "SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(@schema, DATABASE()) AND TABLE_NAME = @table",
        ("schema", MySqlDialect.DatabaseOf(table)), ("table", table.Table));

    private static string? Qualifier(IReadOnlyDictionary<string, string?> qualifiers, string name) =>
        qualifiers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
