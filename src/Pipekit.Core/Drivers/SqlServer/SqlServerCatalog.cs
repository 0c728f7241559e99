namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// INFORMATION_SCHEMA queries, reaching other databases as <c>[db].INFORMATION_SCHEMA.…</c> and linked
/// servers as <c>[linked].[db].INFORMATION_SCHEMA.…</c>. A table without a schema is looked up in the
/// user's default schema, as SQL Server resolves an unqualified name.
/// </summary>
internal sealed class SqlServerCatalog(SqlServerDialect dialect) : ICatalogQueries
{
    // the schemas every database has for roles and the system, never user tables
    private const string SystemSchemas =
        "'sys', 'INFORMATION_SCHEMA', 'guest', 'db_owner', 'db_accessadmin', 'db_securityadmin', 'db_ddladmin', " +
        "'db_backupoperator', 'db_datareader', 'db_datawriter', 'db_denydatareader', 'db_denydatawriter'";

    public CatalogQuery ListSchemas() => CatalogQuery.Of(
        $"SELECT SCHEMA_NAME AS schema_name FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN ({SystemSchemas}) ORDER BY SCHEMA_NAME");

    public CatalogQuery ListTables(IReadOnlyDictionary<string, string?> qualifiers)
    {
        var prefix = dialect.CatalogPrefix(Qualifier(qualifiers, "linked_server"), Qualifier(qualifiers, "database"));
        return CatalogQuery.Of(
            "SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS table_name, TABLE_TYPE AS table_type " +
            $"FROM {prefix}INFORMATION_SCHEMA.TABLES WHERE @schema IS NULL OR TABLE_SCHEMA = @schema ORDER BY TABLE_SCHEMA, TABLE_NAME",
            ("schema", Qualifier(qualifiers, "schema")));
    }

    // NULLIF: INFORMATION_SCHEMA reports (max) as -1, which other engines report as null
    public CatalogQuery ListColumns(TableName table) => CatalogQuery.Of(
        "SELECT COLUMN_NAME AS column_name, DATA_TYPE AS data_type, NULLIF(CHARACTER_MAXIMUM_LENGTH, -1) AS char_length, " +
        "CAST(NUMERIC_PRECISION AS int) AS numeric_precision, NUMERIC_SCALE AS numeric_scale, IS_NULLABLE AS is_nullable, ORDINAL_POSITION AS ordinal " +
        $"FROM {dialect.CatalogPrefix(table.LinkedServer, table.Database)}INFORMATION_SCHEMA.COLUMNS " +
        "WHERE TABLE_SCHEMA = COALESCE(@schema, SCHEMA_NAME()) AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION",
        ("schema", SqlServerDialect.SchemaOf(table)), ("table", table.Table));

    public CatalogQuery TableExists(TableName table) => CatalogQuery.Of(
        $"SELECT 1 FROM {dialect.CatalogPrefix(table.LinkedServer, table.Database)}INFORMATION_SCHEMA.TABLES " +
        "WHERE TABLE_SCHEMA = COALESCE(@schema, SCHEMA_NAME()) AND TABLE_NAME = @table",
        ("schema", SqlServerDialect.SchemaOf(table)), ("table", table.Table));

    private static string? Qualifier(IReadOnlyDictionary<string, string?> qualifiers, string name) =>
        qualifiers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
