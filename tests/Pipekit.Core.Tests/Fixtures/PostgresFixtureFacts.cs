using Npgsql;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Fixtures;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFixtureFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Each_test_gets_a_fresh_empty_database_on_a_real_server()
    {
        var first = await postgres.NewDatabaseAsync();
        var second = await postgres.NewDatabaseAsync();
        Assert.NotEqual(first, second);

        await using var conn = new NpgsqlConnection(first);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, (SELECT count(*) FROM pg_tables WHERE schemaname='public')", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.InRange(reader.GetInt32(0), 150000, 159999);
        Assert.Equal(0L, reader.GetInt64(1));
    }
}
