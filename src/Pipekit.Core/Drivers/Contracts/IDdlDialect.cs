namespace Pipekit.Core.Drivers;

/// <summary>Table DDL and truncate semantics of one engine.</summary>
public interface IDdlDialect
{
    /// <summary>True when CREATE/DROP TABLE can roll back inside a transaction.</summary>
    bool TransactionalDdl { get; }

    /// <summary>True when TRUNCATE can roll back inside a transaction (PG, DuckDB); otherwise merges use DELETE FROM.</summary>
    bool TransactionalTruncate { get; }

    /// <summary>True when the engine has schemas; SQLite has none, so staging tables use a name prefix instead.</summary>
    bool SupportsSchemas { get; }

    string CreateSchemaIfMissing(string schema);

    string DropTableIfExists(TableName table);

    /// <summary>Creates <paramref name="staging"/> with the columns of <paramref name="like"/> and no rows.</summary>
    string CreateTableLike(TableName staging, TableName like);

    string CreateTable(TableName table, IReadOnlyList<ColumnDefinition> columns);

    /// <summary>Empties a table: TRUNCATE where it is transactional, else DELETE FROM.</summary>
    string EmptyTable(TableName table);

    /// <summary>Adds a nullable column to an existing table.</summary>
    string AddColumn(TableName table, ColumnDefinition column);

    /// <summary>
    /// Changes a column's type to a wider one, keeping its values; null where the engine does not enforce declared
    /// widths, so there is nothing to widen (SQLite).
    /// </summary>
    string? AlterColumnType(TableName table, string column, string type);

    /// <summary>
    /// Gathers planner statistics on a freshly loaded table, or null where the engine needs none. A staging table
    /// joined against its destination right after its load has none yet, and a planner guessing its size can pick a
    /// nested loop over a hash join.
    /// </summary>
    string? Analyze(TableName table) => null;

    /// <summary>
    /// True when a full load may empty a table and bulk-load it inside one transaction of the caller's (full_load =
    /// "direct"): the emptying statement rolls back and the bulk writer can write in a transaction it did not begin.
    /// </summary>
    bool DirectLoad => true;

    /// <summary>
    /// Creates <paramref name="replacement"/> with the structure of <paramref name="like"/> — columns, defaults, NOT NULL,
    /// checks, primary key and indexes — for a full load to fill and swap in; null where the engine cannot swap (see <see cref="SwapIn"/>).
    /// </summary>
    string? CreateReplacement(TableName replacement, TableName like) => null;

    /// <summary>
    /// The statements that rename <paramref name="table"/> to <paramref name="retired"/> and <paramref name="replacement"/>
    /// (in the same schema) to <paramref name="table"/> as one atomic step: inside one transaction where DDL is
    /// transactional, or one statement that is atomic on its own. Null where the engine cannot do it atomically.
    /// </summary>
    IReadOnlyList<string>? SwapIn(TableName table, TableName replacement, TableName retired) => null;

    /// <summary>What a column type may look like in this engine's CREATE TABLE; module columns are checked against it when saved.</summary>
    ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.Ansi;
}
