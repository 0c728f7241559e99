using Npgsql;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Pipelines.Tests.Execution;

/// <summary>A py + sql + sh DAG: the python task reads a scoped secret through the SDK, the SQL task transforms, the shell task reports.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndToEndFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private void DailyReport(string extractWrites) => _ws.Project("daily_report", $$"""
        [dag]
        name = "daily_report"

        [dag.sql]
        connection = "warehouse_db"

        [[tasks]]
        name = "extract"
        script = "tasks/extract.py"

        [[tasks]]
        name = "transform"
        script = "tasks/transform.sql"
        depends_on = ["extract"]

        [[tasks]]
        name = "report"
        script = "tasks/report.sh"
        depends_on = ["transform"]
        """,
        ("tasks/extract.py", $$"""
            from pit import sdk
            token = sdk.get_secret("api_token")
            assert token == "tok-123456", "wrong secret"
            print("extract: got the api token for", "{{extractWrites}}")
            """),
        ("tasks/transform.sql", """
            CREATE TABLE daily_totals AS SELECT 1 AS day, 42 AS total;
            INSERT INTO daily_totals VALUES (2, 58);
            """),
        ("tasks/report.sh", "echo \"report for $PIT_DAG_NAME run $PIT_RUN_ID done\"\n"));

    private async Task AssertRunAsync(string warehouseUri)
    {
        var secrets = await _ws.SecretsAsync($"[global]\napi_token = \"global-token\"\n\n[daily_report]\napi_token = \"tok-123456\"\nwarehouse_db = \"{warehouseUri}\"\n");

        var outcome = await _ws.RunAsync("daily_report", secrets: secrets);

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        Assert.Equal("extract: got the api token for warehouse\n", await File.ReadAllTextAsync(outcome.Tasks[0].LogPath!));
        Assert.Matches(@"^\[sql\] tasks/transform\.sql executed in .+ \(\d+ rows affected\)\n$", await File.ReadAllTextAsync(outcome.Tasks[1].LogPath!));
        Assert.Equal("report for daily_report run 1 done\n", await File.ReadAllTextAsync(outcome.Tasks[2].LogPath!));
    }

    [Fact]
    public async Task A_py_sql_sh_dag_runs_against_duckdb()
    {
        DailyReport("warehouse");

        await AssertRunAsync($"duckdb://{Path.Combine(_ws.Root, "warehouse.duckdb")}");
    }

    [PostgresFact]
    public async Task A_py_sql_sh_dag_runs_against_postgres()
    {
        DailyReport("warehouse");
        var uri = await postgres.NewDatabaseUriAsync();

        await AssertRunAsync(uri);

        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString(uri[(uri.LastIndexOf('/') + 1)..]));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sum(total) FROM daily_totals", connection);
        Assert.Equal(100L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
