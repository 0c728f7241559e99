using Pipekit.Query.Engine;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Query.Tests.Engine;

public sealed class SandboxFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly QueryEngine _engine = QueryTestEngine.Create();

    public SandboxFacts()
    {
        QueryTestEngine.WriteParquet(_dir.File("sales.parquet"), "SELECT 1 AS id, 'x' AS name");
        var outcomes = _engine.PublishAsync([QueryTestEngine.ParquetView("sales", _dir.File("sales.parquet"))], CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(outcomes.Single().Ok);
    }

    [Fact]
    public async Task A_published_view_is_readable()
    {
        var rows = await QueryTestEngine.RowsAsync(_engine, "SELECT name FROM sales");

        Assert.Equal("x", rows.Single()[0]);
    }

    [Theory]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_text('/etc/hostname')")]
    [InlineData("SELECT * FROM glob('/etc/*')")]
    public async Task Reading_a_file_outside_the_datasets_fails(string sql)
    {
        var error = await Assert.ThrowsAsync<QueryException>(() => QueryTestEngine.RowsAsync(_engine, sql));

        Assert.Contains("disabled by configuration", error.Message);
    }

    [Theory]
    [InlineData("COPY (SELECT 1) TO '/tmp/x'")]
    [InlineData("ATTACH '/tmp/pipekit-attack.db'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("SET lock_configuration = false")]
    [InlineData("PRAGMA enable_external_access")]
    [InlineData("CREATE TABLE t AS SELECT 1")]
    [InlineData("DROP VIEW sales")]
    [InlineData("INSERT INTO sales VALUES (2, 'y')")]
    [InlineData("SELECT 1; DROP VIEW sales")]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("CALL pragma_version()")]
    [InlineData("EXPLAIN SELECT 1")]
    public async Task A_statement_that_is_not_a_single_read_is_refused(string sql)
    {
        var error = await Assert.ThrowsAsync<QueryException>(() => _engine.OpenAsync(sql, CancellationToken.None));

        Assert.Contains("statement", error.Message);
        Assert.Single(await QueryTestEngine.RowsAsync(_engine, "SELECT * FROM sales"));
    }

    [Fact]
    public async Task A_copy_into_the_dataset_directory_is_refused_although_the_sandbox_would_allow_it()
    {
        // allowed_directories lets DuckDB write inside the dataset directory too, so the statement check is the guard.
        var target = _dir.File("stolen.csv");

        await Assert.ThrowsAsync<QueryException>(() => _engine.OpenAsync($"COPY (SELECT * FROM sales) TO '{target}'", CancellationToken.None));

        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("WITH t AS (SELECT 1 AS x) SELECT x FROM t")]
    [InlineData("VALUES (1), (2)")]
    [InlineData("FROM sales")]
    [InlineData("DESCRIBE sales")]
    [InlineData("SUMMARIZE sales")]
    [InlineData("SELECT 1;")]
    [InlineData("select 1 -- a comment")]
    public async Task Read_statements_run(string sql)
    {
        Assert.NotEmpty(await QueryTestEngine.RowsAsync(_engine, sql));
    }

    [Fact]
    public async Task Queries_differing_only_in_literals_share_a_fingerprint()
    {
        string first, second, other;
        await using (var cursor = await _engine.OpenAsync("SELECT * FROM sales WHERE name = 'alice'", CancellationToken.None)) first = cursor.Fingerprint;
        await using (var cursor = await _engine.OpenAsync("SELECT * FROM sales WHERE name = 'bob'", CancellationToken.None)) second = cursor.Fingerprint;
        await using (var cursor = await _engine.OpenAsync("SELECT id FROM sales WHERE name = 'bob'", CancellationToken.None)) other = cursor.Fingerprint;

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.DoesNotContain("alice", first);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }
}
