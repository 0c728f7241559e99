using DuckDB.NET.Data;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Tests.Fixtures;
using Xunit;

namespace Pipekit.Pipelines.Tests.Runners;

public sealed class SqlTaskFacts : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static TaskResult Of(RunOutcome outcome, string task) => outcome.Tasks.Single(t => t.Task == task);

    [Fact]
    public async Task A_sql_task_runs_the_whole_file_on_duckdb_and_logs_rows_affected()
    {
        var warehouse = Path.Combine(_ws.Root, "wh.duckdb");
        var secrets = await _ws.SecretsAsync($"[report]\nwarehouse_db = \"duckdb://{warehouse}\"\n");
        _ws.Project("report", """
            [dag.sql]
            connection = "warehouse_db"

            [[tasks]]
            name = "create"
            script = "create.sql"

            [[tasks]]
            name = "fill"
            script = "fill.sql"
            depends_on = ["create"]
            """,
            ("create.sql", "CREATE TABLE sales (id INTEGER, amount DOUBLE);\nCREATE TEMP TABLE staging AS SELECT range AS id FROM range(5);"),
            ("fill.sql", "INSERT INTO sales SELECT id, id * 1.5 FROM staging;"));

        var outcome = await _ws.RunAsync("report", secrets: secrets);

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        // The temp table made by the first task is visible to the second: one connection per connection string per run.
        Assert.Matches(@"^\[sql\] fill\.sql executed in [0-9.]+(ms|s) \(5 rows affected\)\n$", await File.ReadAllTextAsync(Of(outcome, "fill").LogPath!));
        await using var connection = new DuckDBConnection($"Data Source={warehouse}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sales";
        Assert.Equal(5L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_sql_task_without_dag_sql_fails_naming_what_to_add()
    {
        _ws.Project("nosql", "[[tasks]]\nname = \"q\"\nscript = \"q.sql\"\n", ("q.sql", "SELECT 1"));

        var outcome = await _ws.RunAsync("nosql");

        Assert.Equal(TaskRunStatus.Failed, Of(outcome, "q").Status);
        Assert.StartsWith("SQL task needs a connection: add [dag.sql] connection = \"<secret key>\"", Of(outcome, "q").Detail);
    }

    [Fact]
    public async Task A_sql_task_whose_secret_is_missing_fails_naming_the_secret()
    {
        var secrets = await _ws.SecretsAsync("[other]\nwarehouse_db = \"duckdb:///tmp/x.duckdb\"\n");
        _ws.Project("nosecret", "[dag.sql]\nconnection = \"warehouse_db\"\n[[tasks]]\nname = \"q\"\nscript = \"q.sql\"\n", ("q.sql", "SELECT 1"));

        var outcome = await _ws.RunAsync("nosecret", secrets: secrets);

        Assert.StartsWith("secret 'warehouse_db' named by [dag.sql].connection is not in [nosecret] or [global]", Of(outcome, "q").Detail);
    }

    [Fact]
    public async Task A_failing_statement_fails_the_task_with_the_database_error()
    {
        var secrets = await _ws.SecretsAsync($"[global]\nwh = \"{Path.Combine(_ws.Root, "wh.duckdb")}\"\n");
        _ws.Project("bad", "[dag.sql]\nconnection = \"wh\"\n[[tasks]]\nname = \"q\"\nscript = \"q.sql\"\n", ("q.sql", "SELECT * FROM no_such_table"));

        var outcome = await _ws.RunAsync("bad", secrets: secrets);

        Assert.Equal(TaskRunStatus.Failed, Of(outcome, "q").Status);
        Assert.Contains("no_such_table", Of(outcome, "q").Detail);
    }
}
