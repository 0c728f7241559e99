namespace Pipekit.Core.Drivers.Postgres;

/// <summary>PostgreSQL DDL: everything is transactional, TRUNCATE included.</summary>
internal sealed class PostgresDdl(ISqlDialect dialect) : AnsiDdlDialect(dialect)
{
    public override ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.Postgres;

    public override bool TransactionalDdl => true;

    public override bool TransactionalTruncate => true;

    public override bool SupportsSchemas => true;

    /// <summary>
    /// Plain LIKE copies names, types and NOT NULL only: no INCLUDING, so the staging table gets no defaults,
    /// identity, constraints or indexes that would slow the load or reject rows the merge is meant to fix.
    /// </summary>
    public override string CreateTableLike(TableName staging, TableName like) =>
        $"CREATE TABLE {Dialect.QualifyTable(staging)} (LIKE {Dialect.QualifyTable(like)})";

    public override string? Analyze(TableName table) => $"ANALYZE {Dialect.QualifyTable(table)}";
}
