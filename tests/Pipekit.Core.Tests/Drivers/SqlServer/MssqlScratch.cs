using Microsoft.Data.SqlClient;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Pipekit.Testing;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

/// <summary>
/// A throwaway schema on the SQL Server named by PIPEKIT_TEST_MSSQL: created for one test, then emptied and
/// dropped, so tests need only CREATE SCHEMA/TABLE rights, not CREATE DATABASE.
/// </summary>
internal sealed class MssqlScratch : IAsyncDisposable
{
    private MssqlScratch()
    {
    }

    public SqlServerDriver Driver { get; } = new();
    public SqlServerDialect Dialect { get; } = new();
    public string Schema { get; } = "pk_" + Guid.NewGuid().ToString("N")[..10];
    public ResolvedConnection Connection { get; } = new("mssql-test", "sqlserver", MssqlFactAttribute.Uri!, null, null, null);

    public static async Task<MssqlScratch> CreateAsync()
    {
        var scratch = new MssqlScratch();
        await scratch.ExecuteAsync(scratch.Dialect.Ddl.CreateSchemaIfMissing(scratch.Schema));
        return scratch;
    }

    public TableName Table(string name) => new(name, Schema);

    public string Qualified(string name) => Dialect.QualifyTable(Table(name));

    public async Task<SqlConnection> OpenAsync() => (SqlConnection)await Driver.OpenAsync(Connection, CancellationToken.None);

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new SqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new SqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        var objects = await RowsAsync(
            $"SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = {SqlServerDialect.Literal(Schema)} ORDER BY TABLE_TYPE DESC");
        foreach (var row in objects)
        {
            var kind = (string)row[1]! == "VIEW" ? "VIEW" : "TABLE";
            await ExecuteAsync($"DROP {kind} IF EXISTS {Qualified((string)row[0]!)}");
        }
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Dialect.QuoteIdentifier(Schema)}");
    }
}
