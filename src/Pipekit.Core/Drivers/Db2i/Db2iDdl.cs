namespace Pipekit.Core.Drivers.Db2i;

/// <summary>
/// DDL for DB2 for i. Under commitment control (the ODBC default with a journaled library) CREATE
/// and DROP roll back with the transaction; there is no transactional TRUNCATE, so tables are
/// emptied with DELETE FROM. DB2 for i has no IF [NOT] EXISTS on CREATE SCHEMA (nor DROP TABLE on
/// releases before 7.4), so those two are dynamic compound statements whose CONTINUE handler
/// swallows exactly the "already exists" (42710) or "not found" (42704) condition.
/// </summary>
internal sealed class Db2iDdl(Db2iDialect dialect) : IDdlDialect
{
    public ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.Db2i;

    public bool TransactionalDdl => true;

    public bool TransactionalTruncate => false;

    public bool SupportsSchemas => true;

    public string CreateSchemaIfMissing(string schema) =>
        IgnoringState("42710", "CREATE SCHEMA " + dialect.QuoteIdentifier(schema));

    public string DropTableIfExists(TableName table) =>
        IgnoringState("42704", "DROP TABLE " + dialect.QualifyTable(table));

    public string CreateTableLike(TableName staging, TableName like) =>
        $"CREATE TABLE {dialect.QualifyTable(staging)} LIKE {dialect.QualifyTable(like)}";

    public string CreateTable(TableName table, IReadOnlyList<ColumnDefinition> columns)
    {
        if (columns.Count == 0)
            throw new DriverException($"table {table} needs at least one column");
        var list = string.Join(", ", columns.Select(c => $"{dialect.QuoteIdentifier(c.Name)} {c.Type}{(c.Nullable ? "" : " NOT NULL")}"));
        return $"CREATE TABLE {dialect.QualifyTable(table)} ({list})";
    }

    /// <summary>The ODBC bulk writer runs its own transaction (it replays a failed batch after a rollback), so it cannot load inside a caller's.</summary>
    public bool DirectLoad => false;

    public string EmptyTable(TableName table) => $"DELETE FROM {dialect.QualifyTable(table)}";

    public string AddColumn(TableName table, ColumnDefinition column) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} ADD COLUMN {dialect.QuoteIdentifier(column.Name)} {column.Type}";

    public string? AlterColumnType(TableName table, string column, string type) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} ALTER COLUMN {dialect.QuoteIdentifier(column)} SET DATA TYPE {type}";

    /// <summary>Runs <paramref name="statement"/> and carries on when it fails with <paramref name="sqlState"/>.</summary>
    private static string IgnoringState(string sqlState, string statement) =>
        "BEGIN\n" +
        "  DECLARE IGNORED SMALLINT DEFAULT 0;\n" +
        $"  DECLARE CONTINUE HANDLER FOR SQLSTATE '{sqlState}' SET IGNORED = 1;\n" +
        $"  EXECUTE IMMEDIATE '{statement.Replace("'", "''", StringComparison.Ordinal)}';\n" +
        "END";
}
