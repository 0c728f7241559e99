using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>
/// <see cref="ColumnTypeGrammar"/>: every type the wizard proposes and the usual hand-written ones pass for their
/// engine; SQL around a type never does, in any engine.
/// </summary>
public sealed class ColumnTypeGrammarFacts
{
    public static TheoryData<string, string> Types => new()
    {
        { "postgres", "integer" }, { "postgres", "double precision" }, { "postgres", "character varying(20)" }, { "postgres", "numeric(10,2)" },
        { "postgres", "numeric(10, 2)" }, { "postgres", "timestamp(3) with time zone" }, { "postgres", "timestamptz" }, { "postgres", "integer[]" },
        { "postgres", "varchar(10)[]" }, { "postgres", "int[3][3]" }, { "postgres", "bit varying(8)" }, { "postgres", "interval day to second(3)" },
        { "sqlserver", "nvarchar(max)" }, { "sqlserver", "varbinary(MAX)" }, { "sqlserver", "datetime2(7)" }, { "sqlserver", "decimal(18,4)" },
        { "mysql", "int unsigned" }, { "mysql", "int(11) unsigned zerofill" }, { "mysql", "varchar(10) character set utf8mb4" }, { "mysql", "datetime(6)" },
        { "mysql", "tinyint(1)" }, { "duckdb", "DECIMAL(18,3)" }, { "duckdb", "INTEGER[]" }, { "duckdb", "STRUCT(a INTEGER, b VARCHAR)" },
        { "duckdb", "MAP(VARCHAR, INTEGER)" }, { "sqlite", "TEXT" }, { "sqlite", "NUMERIC(10,2)" }, { "db2i", "CHAR(10) CCSID 37" },
        { "db2i", "VARCHAR(100) FOR BIT DATA" }, { "db2i", "BLOB(1M)" }, { "db2i", "DECFLOAT(34)" },
    };

    public static TheoryData<string, string, string> Refused => new()
    {
        { "postgres", "BIGINT); CREATE TABLE x (z int", "after the type" },
        { "postgres", "int; DROP TABLE y", "after the type" },
        { "postgres", "int -- comment", "after the type" },
        { "postgres", "int /* x */", "after the type" },
        { "postgres", "text'", "after the type" },
        { "postgres", "text COLLATE \"C\"", "after the type" },
        { "postgres", "int DEFAULT 1", "'DEFAULT'" },
        { "postgres", "int NOT NULL", "'NOT'" },
        { "postgres", "int PRIMARY KEY", "'PRIMARY'" },
        { "postgres", "int\nNOT NULL", "after the type" },
        { "postgres", "numeric(10", "unclosed '('" },
        { "postgres", "varchar(a)", "where a number belongs" },
        { "postgres", "nvarchar(max)", "where a number belongs" },
        { "postgres", "", "is empty" },
        { "postgres", "(10)", "not a type name" },
        { "sqlserver", "int[]", "after the type" },
        { "sqlite", "INTEGER[]", "after the type" },
        { "mysql", "enum('a','b')", "where a number belongs" },
        { "duckdb", "STRUCT(a INTEGER); DROP TABLE y", "after the type" },
        { "duckdb", "MAP(VARCHAR, INT NOT NULL)", "'NOT'" },
        { "db2i", "CHAR(10) CCSID x", "needs a number after CCSID" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void A_type_of_the_engine_passes(string engine, string type) => Assert.Null(Grammar(engine).Problem(type));

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_engines_type_passes_when_the_engine_is_not_known(string engine, string type)
    {
        Assert.NotNull(engine);
        Assert.Null(ColumnTypeGrammar.Any.Problem(type));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Sql_around_a_type_is_refused_with_the_reason(string engine, string type, string reason)
    {
        var problem = Grammar(engine).Problem(type);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("a type is a name with optional (precision[,scale])", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_engine_has_its_own_grammar()
    {
        var drivers = DriverRegistry.CreateDefault();
        Assert.Same(ColumnTypeGrammar.Postgres, drivers.Get("postgres").GetDialect(null).Ddl.ColumnTypes);
        Assert.Same(ColumnTypeGrammar.SqlServer, drivers.Get("sqlserver").GetDialect(null).Ddl.ColumnTypes);
        Assert.Same(ColumnTypeGrammar.MySql, drivers.Get("mysql").GetDialect(null).Ddl.ColumnTypes);
        Assert.Same(ColumnTypeGrammar.DuckDb, drivers.Get("duckdb").GetDialect(null).Ddl.ColumnTypes);
        Assert.Same(ColumnTypeGrammar.Ansi, drivers.Get("sqlite").GetDialect(null).Ddl.ColumnTypes);
        Assert.Same(ColumnTypeGrammar.Db2i, drivers.Get("odbc").GetDialect("db2i").Ddl.ColumnTypes);
    }

    private static ColumnTypeGrammar Grammar(string engine) => engine switch
    {
        "postgres" => ColumnTypeGrammar.Postgres,
        "sqlserver" => ColumnTypeGrammar.SqlServer,
        "mysql" => ColumnTypeGrammar.MySql,
        "duckdb" => ColumnTypeGrammar.DuckDb,
        "db2i" => ColumnTypeGrammar.Db2i,
        _ => ColumnTypeGrammar.Ansi,
    };
}
