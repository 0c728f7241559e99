using MySqlConnector;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Fixtures;

[Collection(MariaDbCollection.Name)]
public sealed class MariaDbFixtureFacts(MariaDbFixture mariadb)
{
    [MariaDbFact]
    public async Task Each_test_gets_a_fresh_empty_utf8mb4_database_on_a_real_server()
    {
        var first = await mariadb.NewDatabaseAsync();
        var second = await mariadb.NewDatabaseAsync();
        Assert.NotEqual(first, second);

        await using var conn = new MySqlConnection(first);
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand(
            "SELECT VERSION(), @@local_infile, @@character_set_database, (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE())", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Contains("MariaDB", reader.GetString(0));
        Assert.Equal(1L, Convert.ToInt64(reader.GetValue(1)));
        Assert.Equal("utf8mb4", reader.GetString(2));
        Assert.Equal(0L, reader.GetInt64(3));
    }

    [MariaDbFact]
    public async Task A_server_started_without_local_infile_refuses_load_data_local()
    {
        var server = await mariadb.ServerWithoutLocalInfileAsync();
        await using var conn = new MySqlConnection(server.AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand("SELECT @@local_infile", conn);
        Assert.Equal(0L, Convert.ToInt64(await cmd.ExecuteScalarAsync()));
    }
}
