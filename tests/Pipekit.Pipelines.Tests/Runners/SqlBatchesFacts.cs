using Pipekit.Core.Drivers;
using Pipekit.Pipelines.Runners;
using Xunit;

namespace Pipekit.Pipelines.Tests.Runners;

public sealed class SqlBatchesFacts
{
    [Fact]
    public void A_script_is_split_on_go_lines()
    {
        var batches = SqlBatches.Split("CREATE TABLE t (a int)\nGO\nINSERT INTO t VALUES (1)\ngo\n\nSELECT 1\n");

        Assert.Equal(["CREATE TABLE t (a int)\n", "INSERT INTO t VALUES (1)\n", "\nSELECT 1\n"], batches);
    }

    [Fact]
    public void Go_inside_a_string_a_comment_or_an_identifier_does_not_split()
    {
        const string script = "SELECT 'x\nGO\ny' AS [GO]\n/*\nGO\n*/\n-- GO\nSELECT 2";

        Assert.Equal([script], SqlBatches.Split(script));
    }

    [Fact]
    public void Go_with_a_count_repeats_its_batch()
    {
        Assert.Equal(["INSERT INTO t DEFAULT VALUES\n", "INSERT INTO t DEFAULT VALUES\n", "INSERT INTO t DEFAULT VALUES\n"],
            SqlBatches.Split("INSERT INTO t DEFAULT VALUES\nGO 3\n"));
    }

    [Fact]
    public void Empty_batches_are_dropped() => Assert.Equal(["SELECT 1\n"], SqlBatches.Split("GO\nSELECT 1\nGO\nGO\n"));

    [Theory]
    [InlineData("sqlserver://sa@db/claims", "sqlserver")]
    [InlineData("mssql://sa@db/claims", "sqlserver")]
    [InlineData("duckdb:///data/wh.duckdb", "duckdb")]
    [InlineData("postgres://u@h/db", "postgres")]
    [InlineData("postgresql://u@h/db", "postgres")]
    [InlineData("sqlite:///data/x.sqlite", "sqlite")]
    [InlineData("mysql://u@h/db", "mysql")]
    [InlineData("/data/warehouse.duckdb", "duckdb")]
    [InlineData("/data/warehouse.db", "duckdb")]
    public void The_driver_is_chosen_by_the_uri_scheme_or_a_duckdb_file_path(string value, string kind)
    {
        var (driver, connection) = SqlTarget.Resolve(DriverRegistry.CreateDefault(), "wh", value, "/projects/p");

        Assert.Equal(kind, driver.Kind);
        Assert.Equal("wh", connection.Name);
    }

    [Fact]
    public void A_relative_duckdb_path_is_relative_to_the_project_directory()
    {
        var (_, connection) = SqlTarget.Resolve(DriverRegistry.CreateDefault(), "wh", "data/wh.duckdb", "/projects/p");

        Assert.Equal("duckdb:///projects/p/data/wh.duckdb", connection.Url);
    }

    [Theory]
    [InlineData("Server=claims;User Id=app;Password=hunter2-secret")]
    [InlineData("odbc://DSN=x")]
    [InlineData("oracle://u@h/db")]
    public void Anything_else_is_refused_without_quoting_the_value(string value)
    {
        var error = Assert.Throws<SqlTaskException>(() => SqlTarget.Resolve(DriverRegistry.CreateDefault(), "claims_db", value, "/p"));

        Assert.Contains("cannot tell the database of secret 'claims_db'", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
