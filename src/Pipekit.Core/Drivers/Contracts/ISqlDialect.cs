namespace Pipekit.Core.Drivers;

/// <summary>
/// The SQL text an engine speaks. Everything here is pure string generation, unit-tested as text;
/// nothing touches a connection.
/// </summary>
public interface ISqlDialect
{
    /// <summary>postgres, sqlserver, duckdb, sqlite, mysql, db2i.</summary>
    string Name { get; }

    /// <summary>Quotes one identifier: <c>"DCORD#"</c> (PG, DB2), <c>[DCORD#]</c> (MSSQL), <c>`DCORD#`</c> (MySQL).</summary>
    string QuoteIdentifier(string identifier);

    /// <summary>The qualifier fields a user fills in to find a table (seed 002 "Step 1").</summary>
    IReadOnlyList<BrowseField> BrowseFields { get; }

    /// <summary>FROM-clause name of a table from its qualifiers, e.g. <c>[linked].[db].[schema].[table]</c>.</summary>
    string QualifyTable(TableName table);

    /// <summary>Reads a native column type into the portable type system.</summary>
    PortableType ToPortable(ColumnInfo column);

    /// <summary>Renders a portable type as this engine's column type for CREATE TABLE.</summary>
    string RenderType(PortableType type);

    /// <summary>The wizard's default source expression for a column: <c>RTRIM(col)</c>, the DB2 sentinel-date CASE, or the bare column.</summary>
    string DefaultExpression(ColumnInfo column);

    /// <summary>DDL and truncate behaviour.</summary>
    IDdlDialect Ddl { get; }

    /// <summary>Catalog queries for introspection.</summary>
    ICatalogQueries Catalog { get; }

    /// <summary>The cheapest query that proves a connection works: <c>SELECT 1</c>, or DB2's <c>SELECT 1 FROM SYSIBM.SYSDUMMY1</c>.</summary>
    string ProbeQuery => "SELECT 1";
}
