using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>Mapping a source type to a destination is <c>dest.RenderType(src.ToPortable(column))</c>.</summary>
public sealed class TypeMappingFacts
{
    private static string Map(string from, string to, ColumnInfo column)
    {
        var registry = DriverRegistry.CreateDefault();
        return registry.Get(to).GetDialect(null).RenderType(registry.Get(from).GetDialect(null).ToPortable(column));
    }

    [Theory]
    // seed 002 "Step 2" examples, PostgreSQL as destination
    [InlineData("postgres", "INT", null, null, null, "integer")]
    [InlineData("postgres", "DECIMAL(15,4)", null, null, null, "numeric(15,4)")]
    [InlineData("postgres", "numeric", 15, 4, null, "numeric(15,4)")]
    [InlineData("postgres", "CHAR(40)", null, null, null, "text")]
    [InlineData("postgres", "character varying", null, null, 20, "text")]
    [InlineData("postgres", "DATE", null, null, null, "date")]
    [InlineData("postgres", "timestamp with time zone", null, null, null, "timestamptz")]
    [InlineData("postgres", "timestamp without time zone", null, null, null, "timestamp")]
    [InlineData("postgres", "uuid", null, null, null, "uuid")]
    [InlineData("postgres", "bytea", null, null, null, "bytea")]
    [InlineData("postgres", "boolean", null, null, null, "boolean")]
    [InlineData("postgres", "bigint", null, null, null, "bigint")]
    [InlineData("postgres", "double precision", null, null, null, "double precision")]
    [InlineData("postgres", "jsonb", null, null, null, "jsonb")]
    [InlineData("postgres", "numeric", null, null, null, "numeric")]
    [InlineData("postgres", "some_enum", null, null, null, "text")]
    [InlineData("duckdb", "HUGEINT", null, null, null, "numeric(38,0)")]
    [InlineData("duckdb", "UBIGINT", null, null, null, "numeric(20,0)")]
    [InlineData("duckdb", "UINTEGER", null, null, null, "bigint")]
    [InlineData("duckdb", "USMALLINT", null, null, null, "integer")]
    [InlineData("duckdb", "UTINYINT", null, null, null, "smallint")]
    [InlineData("duckdb", "TINYINT", null, null, null, "smallint")]
    [InlineData("duckdb", "FLOAT", null, null, null, "real")]
    [InlineData("duckdb", "DOUBLE", null, null, null, "double precision")]
    [InlineData("duckdb", "VARCHAR", null, null, null, "text")]
    [InlineData("duckdb", "TIMESTAMP WITH TIME ZONE", null, null, null, "timestamptz")]
    [InlineData("duckdb", "TIMESTAMP_NS", null, null, null, "timestamp")]
    [InlineData("duckdb", "BLOB", null, null, null, "bytea")]
    [InlineData("duckdb", "UUID", null, null, null, "uuid")]
    [InlineData("duckdb", "INTEGER[]", null, null, null, "text")]
    [InlineData("sqlite", "INTEGER", null, null, null, "bigint")]
    [InlineData("sqlite", "REAL", null, null, null, "double precision")]
    [InlineData("sqlite", "TEXT", null, null, null, "text")]
    [InlineData("sqlite", "BLOB", null, null, null, "bytea")]
    [InlineData("sqlite", "NUMERIC", null, null, null, "numeric")]
    [InlineData("sqlite", "DECIMAL(10,2)", null, null, null, "numeric(10,2)")]
    [InlineData("sqlite", "DATETIME", null, null, null, "timestamp")]
    [InlineData("sqlite", "BOOLEAN", null, null, null, "boolean")]
    [InlineData("sqlite", "VARCHAR(255)", null, null, null, "text")]
    [InlineData("sqlite", "UNSIGNED BIG INT", null, null, null, "bigint")]
    [InlineData("sqlite", "", null, null, null, "text")]
    // SQLite's own rule 1: any declared type containing "INT" has INTEGER affinity, "FLOATING POINT" included.
    [InlineData("sqlite", "FLOATING POINT", null, null, null, "bigint")]
    [InlineData("sqlite", "DOUBLE PRECISION", null, null, null, "double precision")]
    [InlineData("sqlite", "MONEYISH", null, null, null, "numeric")]
    public void Source_types_map_to_postgres(string from, string type, int? precision, int? scale, int? length, string expected) =>
        Assert.Equal(expected, Map(from, "postgres", new ColumnInfo("c", type, length, precision, scale)));

    [Theory]
    [InlineData("postgres", "numeric", 15, 4, "DECIMAL(15,4)")]
    [InlineData("postgres", "numeric", null, null, "DOUBLE")]
    [InlineData("postgres", "integer", null, null, "INTEGER")]
    [InlineData("postgres", "text", null, null, "VARCHAR")]
    [InlineData("postgres", "timestamp with time zone", null, null, "TIMESTAMPTZ")]
    [InlineData("postgres", "uuid", null, null, "UUID")]
    [InlineData("postgres", "bytea", null, null, "BLOB")]
    [InlineData("sqlite", "BOOLEAN", null, null, "BOOLEAN")]
    [InlineData("sqlite", "INTEGER", null, null, "BIGINT")]
    public void Source_types_map_to_duckdb(string from, string type, int? precision, int? scale, string expected) =>
        Assert.Equal(expected, Map(from, "duckdb", new ColumnInfo("c", type, null, precision, scale)));

    [Theory]
    [InlineData("postgres", "numeric", 15, 4, "NUMERIC(15,4)")]
    [InlineData("postgres", "numeric", 30, 2, "TEXT")]
    [InlineData("postgres", "integer", null, null, "INTEGER")]
    [InlineData("postgres", "boolean", null, null, "BOOLEAN")]
    [InlineData("postgres", "timestamp without time zone", null, null, "DATETIME")]
    [InlineData("postgres", "timestamp with time zone", null, null, "TIMESTAMPTZ")]
    [InlineData("postgres", "uuid", null, null, "UUID")]
    [InlineData("duckdb", "BLOB", null, null, "BLOB")]
    [InlineData("duckdb", "DOUBLE", null, null, "REAL")]
    public void Source_types_map_to_sqlite(string from, string type, int? precision, int? scale, string expected) =>
        Assert.Equal(expected, Map(from, "sqlite", new ColumnInfo("c", type, null, precision, scale)));
}
