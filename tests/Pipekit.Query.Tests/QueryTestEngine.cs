using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Tests;

/// <summary>Builds engines over real DuckDB for tests.</summary>
internal static class QueryTestEngine
{
    public static QueryEngine Create(int maxRows = 10_000, TimeSpan? timeout = null, int maxConcurrent = 4, int maxQueued = 16,
        Action<DuckDBConnection>? beforeSandbox = null, Redactor? redactor = null) =>
        new(new QueryEngineSettings
        {
            MaxRows = maxRows,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxConcurrent = maxConcurrent,
            MaxQueued = maxQueued,
            BeforeSandbox = beforeSandbox,
        }, redactor ?? new Redactor([]), NullLogger<QueryEngine>.Instance);

    /// <summary>Writes a Parquet file with DuckDB itself.</summary>
    public static void WriteParquet(string path, string select)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO {SqlText.Literal(path)} (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    public static ViewDefinition ParquetView(string name, string file) =>
        new(name, $"SELECT * FROM read_parquet({SqlText.Literal(file)})", [file], [Path.GetDirectoryName(file)!]);

    public static async Task<List<object?[]>> RowsAsync(QueryEngine engine, string sql)
    {
        await using var cursor = await engine.OpenAsync(sql, CancellationToken.None);
        var rows = new List<object?[]>();
        while (cursor.Read())
        {
            var row = new object?[cursor.Columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = cursor.Reader.IsDBNull(i) ? null : cursor.Reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
