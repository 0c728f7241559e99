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

    /// <summary>INCLUDING ALL copies defaults, NOT NULL and check constraints, the primary key, indexes, identity, generated columns and comments; not grants, triggers, foreign keys or dependent views.</summary>
    public override string? CreateReplacement(TableName replacement, TableName like) =>
        $"CREATE TABLE {Dialect.QualifyTable(replacement)} (LIKE {Dialect.QualifyTable(like)} INCLUDING ALL)";

    /// <summary>ALTER TABLE … RENAME is transactional: run in one transaction, readers see either table, never neither.</summary>
    public override IReadOnlyList<string>? SwapIn(TableName table, TableName replacement, TableName retired) =>
    [
        $"ALTER TABLE {Dialect.QualifyTable(table)} RENAME TO {Dialect.QuoteIdentifier(retired.Table)}",
        $"ALTER TABLE {Dialect.QualifyTable(replacement)} RENAME TO {Dialect.QuoteIdentifier(table.Table)}",
    ];

    public override string? Analyze(TableName table) => $"ANALYZE {Dialect.QualifyTable(table)}";
}
