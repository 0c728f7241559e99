namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>DuckDB DDL: transactional, TRUNCATE included.</summary>
internal sealed class DuckDbDdl(ISqlDialect dialect) : AnsiDdlDialect(dialect)
{
    public override ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.DuckDb;

    public override bool TransactionalDdl => true;

    public override bool TransactionalTruncate => true;

    public override bool SupportsSchemas => true;

    /// <summary>DuckDB has no <c>LIKE</c> clause; an empty CTAS copies the column names and types and nothing else.</summary>
    public override string CreateTableLike(TableName staging, TableName like) =>
        $"CREATE TABLE {Dialect.QualifyTable(staging)} AS SELECT * FROM {Dialect.QualifyTable(like)} LIMIT 0";
}
