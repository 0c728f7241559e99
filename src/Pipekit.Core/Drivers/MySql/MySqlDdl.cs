namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// MySQL table DDL. Every DDL statement commits the open transaction implicitly, so neither DDL nor
/// TRUNCATE (which is DDL here) can roll back; merges empty tables with DELETE FROM instead.
/// </summary>
internal sealed class MySqlDdl(MySqlDialect dialect) : IDdlDialect
{
    public ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.MySql;

    public bool TransactionalDdl => false;

    public bool TransactionalTruncate => false;

    // a schema is a database
    public bool SupportsSchemas => true;

    // utf8mb4, because a server's default character set may still be latin1 or 3-byte utf8, which cannot
    // hold a 4-byte character such as an emoji
    public string CreateSchemaIfMissing(string schema) =>
        $"CREATE DATABASE IF NOT EXISTS {dialect.QuoteIdentifier(schema)} CHARACTER SET utf8mb4";

    public string DropTableIfExists(TableName table) => $"DROP TABLE IF EXISTS {dialect.QualifyTable(table)}";

    public string CreateTableLike(TableName staging, TableName like) =>
        $"CREATE TABLE {dialect.QualifyTable(staging)} LIKE {dialect.QualifyTable(like)}";

    // InnoDB explicitly: the bulk writer's rollback needs a transactional engine, and a server's default
    // engine is configurable.
    public string CreateTable(TableName table, IReadOnlyList<ColumnDefinition> columns)
    {
        if (columns.Count == 0) throw new ArgumentException($"table '{table}' needs at least one column", nameof(columns));
        var list = string.Join(", ", columns.Select(c => $"{dialect.QuoteIdentifier(c.Name)} {c.Type} {(c.Nullable ? "NULL" : "NOT NULL")}"));
        return $"CREATE TABLE {dialect.QualifyTable(table)} ({list}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    /// <summary>CREATE TABLE … LIKE copies columns, defaults, the primary key and indexes; not foreign keys or triggers.</summary>
    public string? CreateReplacement(TableName replacement, TableName like) =>
        $"CREATE TABLE {dialect.QualifyTable(replacement)} LIKE {dialect.QualifyTable(like)}";

    /// <summary>One RENAME TABLE of two pairs is atomic: no session sees the table missing. DDL is not transactional here, so it is one statement.</summary>
    public IReadOnlyList<string>? SwapIn(TableName table, TableName replacement, TableName retired) =>
    [
        $"RENAME TABLE {dialect.QualifyTable(table)} TO {dialect.QualifyTable(retired)}, {dialect.QualifyTable(replacement)} TO {dialect.QualifyTable(table)}",
    ];

    public string EmptyTable(TableName table) => $"DELETE FROM {dialect.QualifyTable(table)}";

    public string AddColumn(TableName table, ColumnDefinition column) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} ADD COLUMN {dialect.QuoteIdentifier(column.Name)} {column.Type} NULL";

    // MODIFY restates the whole column definition; the column stays nullable, as every column Pipekit adds is.
    public string? AlterColumnType(TableName table, string column, string type) =>
        $"ALTER TABLE {dialect.QualifyTable(table)} MODIFY COLUMN {dialect.QuoteIdentifier(column)} {type} NULL";
}
