using DuckDB.NET.Data;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

public sealed class QueryCliFacts
{
    [Fact]
    public async Task A_dataset_added_from_the_cli_is_queryable_in_every_format()
    {
        using var home = new TempDirectory();
        WriteParquet(home.File("sales.parquet"), "SELECT i AS id, 'n' || i AS name FROM range(3) t(i)");
        var cli = new PipekitProcess(home.Path);

        var added = await cli.RunAsync("datasets", "add", "sales", home.File("sales.parquet"));
        var table = await cli.RunAsync("query", "SELECT name FROM sales ORDER BY id");
        var json = await cli.RunAsync("query", "SELECT count(*) AS n FROM sales", "--format", "json");
        var csv = await cli.RunAsync("query", "SELECT id FROM sales ORDER BY id", "--format", "csv");
        var list = await cli.RunAsync("datasets", "list");

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("n2", table.Out);
        Assert.Contains("(3 rows)", table.Out);
        Assert.Equal("{\"columns\":[{\"name\":\"n\",\"type\":\"BIGINT\"}],\"rows\":[[3]],\"row_count\":1}", json.Out.Trim());
        Assert.Equal("id\r\n0\r\n1\r\n2\r\n", csv.Out);
        Assert.Contains("sales", list.Out);
        Assert.Contains("ok", list.Out);
    }

    [Theory]
    [InlineData("COPY (SELECT 1) TO '/tmp/pipekit-cli-x.csv'", "only one read statement")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "disabled by configuration")]
    [InlineData("   ", "empty")]
    public async Task The_cli_applies_the_same_safety_rules(string sql, string message)
    {
        using var home = new TempDirectory();

        var result = await new PipekitProcess(home.Path).RunAsync("query", sql);

        // Refused input is a usage error (exit 2), as for every command.
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task Removing_an_unknown_dataset_says_how_to_list_them()
    {
        using var home = new TempDirectory();

        var result = await new PipekitProcess(home.Path).RunAsync("datasets", "remove", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pipekit datasets list", result.Error);
    }

    private static void WriteParquet(string path, string select)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{path}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }
}
