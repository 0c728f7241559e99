namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// SQL Server table DDL. DDL and TRUNCATE both roll back inside a transaction.
/// <para>
/// EmptyTable is TRUNCATE TABLE rather than DELETE FROM: it is transactional here, minimally logged (a full
/// refresh of a large table with DELETE writes every row to the log), and the ALTER permission it needs is
/// one Pipekit already needs on the destination schema to create its staging tables. Its limits — it
/// refuses a table referenced by a foreign key or in an indexed view — fail loudly with SQL Server's message.
/// </para>
/// </summary>
internal sealed class SqlServerDdl(SqlServerDialect dialect) : IDdlDialect
{
    public ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.SqlServer;

    public bool TransactionalDdl => true;

    public bool TransactionalTruncate => true;

    public bool SupportsSchemas => true;

    // CREATE SCHEMA must be the only statement in its batch, hence EXEC
    public string CreateSchemaIfMissing(string schema) =>
        $"IF SCHEMA_ID({SqlServerDialect.Literal(schema)}) IS NULL EXEC({SqlServerDialect.Literal("CREATE SCHEMA " + dialect.QuoteIdentifier(schema))})";

    public string DropTableIfExists(TableName table) => $"DROP TABLE IF EXISTS {dialect.QualifyTable(table)}";

    // SELECT INTO copies the columns, types, nullability and IDENTITY property, nothing else (no keys,
    // indexes or defaults), which suits a staging table. The bulk writer keeps identity values as given.
    public string CreateTableLike(TableName staging, TableName like) =>
        $"SELECT TOP 0 * INTO {dialect.QualifyTable(staging)} FROM {dialect.QualifyTable(like)}";

    public string CreateTable(TableName table, IReadOnlyList<ColumnDefinition> columns)
    {
        if (columns.Count == 0) throw new ArgumentException($"table '{table}' needs at least one column", nameof(columns));
        var list = string.Join(", ", columns.Select(c => $"{dialect.QuoteIdentifier(c.Name)} {c.Type} {(c.Nullable ? "NULL" : "NOT NULL")}"));
        return $"CREATE TABLE {dialect.QualifyTable(table)} ({list})";
    }

    public string EmptyTable(TableName table) => $"TRUNCATE TABLE {dialect.QualifyTable(table)}";

    public string AddColumn(TableName table, ColumnDefinition column) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} ADD {dialect.QuoteIdentifier(column.Name)} {column.Type} NULL";

    public string? AlterColumnType(TableName table, string column, string type) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} ALTER COLUMN {dialect.QuoteIdentifier(column)} {type}";
}
