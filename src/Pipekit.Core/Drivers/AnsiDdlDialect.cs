using System.Text;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The shared base of table DDL for ANSI-ish engines: <c>IF [NOT] EXISTS</c> forms, a plain
/// <c>CREATE TABLE</c>, and TRUNCATE or DELETE depending on whether TRUNCATE is transactional.
/// </summary>
public abstract class AnsiDdlDialect : IDdlDialect
{
    /// <param name="dialect">The dialect whose quoting and qualification the statements use.</param>
    protected AnsiDdlDialect(ISqlDialect dialect)
    {
        Dialect = dialect;
    }

    protected ISqlDialect Dialect { get; }

    public abstract bool TransactionalDdl { get; }

    public abstract bool TransactionalTruncate { get; }

    public abstract bool SupportsSchemas { get; }

    public abstract string CreateTableLike(TableName staging, TableName like);

    public virtual bool DirectLoad => true;

    public virtual string? CreateReplacement(TableName replacement, TableName like) => null;

    public virtual IReadOnlyList<string>? SwapIn(TableName table, TableName replacement, TableName retired) => null;

    public virtual string CreateSchemaIfMissing(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {Dialect.QuoteIdentifier(schema)}";

    public virtual string DropTableIfExists(TableName table) =>
        $"DROP TABLE IF EXISTS {Dialect.QualifyTable(table)}";

    public virtual string CreateTable(TableName table, IReadOnlyList<ColumnDefinition> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException($"table {table} needs at least one column", nameof(columns));
        var sql = new StringBuilder($"CREATE TABLE {Dialect.QualifyTable(table)} (");
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            sql.Append(i == 0 ? "\n    " : ",\n    ")
               .Append(Dialect.QuoteIdentifier(c.Name)).Append(' ').Append(c.Type);
            if (!c.Nullable) sql.Append(" NOT NULL");
        }
        return sql.Append("\n)").ToString();
    }

    public virtual string EmptyTable(TableName table) => TransactionalTruncate
        ? $"TRUNCATE TABLE {Dialect.QualifyTable(table)}"
        : $"DELETE FROM {Dialect.QualifyTable(table)}";

    public virtual string? Analyze(TableName table) => null;

    public virtual ColumnTypeGrammar ColumnTypes => ColumnTypeGrammar.Ansi;

    public virtual string AddColumn(TableName table, ColumnDefinition column) =>
        $"ALTER TABLE {Dialect.QualifyTable(table)} ADD COLUMN {Dialect.QuoteIdentifier(column.Name)} {column.Type}";

    public virtual string? AlterColumnType(TableName table, string column, string type) =>
        $"ALTER TABLE {Dialect.QualifyTable(table)} ALTER COLUMN {Dialect.QuoteIdentifier(column)} TYPE {type}";
}
