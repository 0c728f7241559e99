using System.Data.Common;
using Pipekit.Core.Drivers;
using Pipekit.Testing;

namespace Pipekit.Core.Tests;

/// <summary>Fresh real databases of each engine for a test, opened through Pipekit's own drivers.</summary>
internal sealed class TestDatabases(PostgresFixture? postgres, TempDirectory directory, MariaDbFixture? mariadb = null)
{
    public DriverRegistry Drivers { get; } = DriverRegistry.CreateDefault();

    public async Task<ResolvedConnection> CreateAsync(string kind) => kind switch
    {
        "postgres" => new ResolvedConnection("pg", "postgres", await postgres!.NewDatabaseUriAsync(), null, null, null),
        "duckdb" => new ResolvedConnection("duck", "duckdb", "duckdb://" + directory.File(Guid.NewGuid().ToString("N")[..8] + ".duckdb"), null, null, null),
        "sqlite" => new ResolvedConnection("lite", "sqlite", "sqlite://" + directory.File(Guid.NewGuid().ToString("N")[..8] + ".db"), null, null, null),
        "mysql" => new ResolvedConnection("maria", "mysql", await mariadb!.NewDatabaseUriAsync(), null, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection) =>
        await Drivers.Resolve(connection.Driver, connection.Url).OpenAsync(connection, CancellationToken.None);

    public async Task ExecuteAsync(ResolvedConnection connection, params string[] statements)
    {
        await using var db = await OpenAsync(connection);
        foreach (var sql in statements)
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    public async Task<List<object?[]>> QueryAsync(ResolvedConnection connection, string sql)
    {
        await using var db = await OpenAsync(connection);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                var value = reader.GetValue(i);
                row[i] = value switch
                {
                    DBNull => null,
                    Stream s => ReadAll(s),
                    _ => value,
                };
            }
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> CountAsync(ResolvedConnection connection, string table) =>
        Convert.ToInt64((await QueryAsync(connection, $"SELECT count(*) FROM {table}"))[0][0]);

    private static byte[] ReadAll(Stream s)
    {
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
