namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>SQLite DDL: transactional, but no TRUNCATE and no schemas.</summary>
internal sealed class SqliteDdl(ISqlDialect dialect) : AnsiDdlDialect(dialect)
{
    public override bool TransactionalDdl => true;

    public override bool TransactionalTruncate => false;

    public override bool SupportsSchemas => false;

    public override string CreateSchemaIfMissing(string schema) =>
        throw new NotSupportedException("SQLite has no schemas; give staging tables a name prefix instead");

    // Declared lengths and integer widths are not enforced: every integer is 64-bit and text has no limit.
    public override string? AlterColumnType(TableName table, string column, string type) => null;

    /// <summary>
    /// An empty CTAS. SQLite reduces the copied declared types to their affinity (INT, NUM, TEXT, REAL), which is
    /// enough for a staging table: values keep their storage class on the way to the real table.
    /// </summary>
    public override string CreateTableLike(TableName staging, TableName like) =>
        $"CREATE TABLE {Dialect.QualifyTable(staging)} AS SELECT * FROM {Dialect.QualifyTable(like)} LIMIT 0";
}
