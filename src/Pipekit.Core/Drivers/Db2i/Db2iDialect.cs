namespace Pipekit.Core.Drivers.Db2i;

/// <summary>
/// DB2 for i (AS/400), reached through the <c>odbc</c> driver and IBM i Access ODBC. Names are
/// double-quoted and case-sensitive once quoted, so <c>"DCORD#"</c> keeps its <c>#</c>; a table is
/// found by its schema (library) alone, as the seed's wizard asks.
/// </summary>
internal sealed class Db2iDialect : ISqlDialect
{
    public const string DialectName = "db2i";

    /// <summary>The cheapest statement that proves a DB2 connection answers; ICatalogQueries has no ping.</summary>
    public const string PingSql = "SELECT 1 FROM SYSIBM.SYSDUMMY1";

    public Db2iDialect()
    {
        Ddl = new Db2iDdl(this);
        Catalog = new Db2iCatalogQueries();
    }

    public string Name => DialectName;

    public IReadOnlyList<BrowseField> BrowseFields { get; } = [new BrowseField("schema", "Schema (library)", Required: true)];

    public IDdlDialect Ddl { get; }

    public ICatalogQueries Catalog { get; }

    public string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary><c>"SCHEMA"."TABLE"</c>; without a schema the bare table resolves through the job's library list or CURRENT SCHEMA.</summary>
    public string QualifyTable(TableName table)
    {
        if (table.Database is not null || table.LinkedServer is not null)
            throw new DriverException($"DB2 for i tables are named schema.table; '{table}' has a database or linked server qualifier");
        return table.Schema is null ? QuoteIdentifier(table.Table) : QuoteIdentifier(table.Schema) + "." + QuoteIdentifier(table.Table);
    }

    public PortableType ToPortable(ColumnInfo column) => Db2iTypes.ToPortable(column);

    public string RenderType(PortableType type) => Db2iTypes.Render(type);

    /// <summary>
    /// The seed's wizard defaults: fixed-width CHAR/GRAPHIC values arrive blank-padded, so text is
    /// RTRIMmed; DB2 shops store "no date" as 0001-01-01 or 9999-12-31, so those become NULL.
    /// </summary>
    public string DefaultExpression(ColumnInfo column)
    {
        var quoted = QuoteIdentifier(column.Name);
        var type = Db2iTypes.Parse(column.DataType);
        if (type.ForBitData) return quoted;
        return type.BaseName switch
        {
            "CHAR" or "CHARACTER" or "VARCHAR" or "CHARACTER VARYING" or "CHAR VARYING"
                or "GRAPHIC" or "VARGRAPHIC" or "VARG" or "NCHAR" or "NVARCHAR" or "NATIONAL CHARACTER" => $"RTRIM({quoted})",
            "DATE" => $"CASE WHEN {quoted} IN ('0001-01-01','9999-12-31') THEN NULL ELSE {quoted} END",
            _ => quoted,
        };
    }
}
