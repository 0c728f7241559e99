using MySqlConnector;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlDriverFacts(MariaDbFixture mariadb)
{
    private readonly MySqlDriver _driver = new();

    private static ResolvedConnection Connection(string url, string? password = null) => new("warehouse", "mysql", url, null, password, null);

    [Fact]
    public void The_registry_finds_the_driver_by_kind_and_by_both_schemes()
    {
        var registry = DriverRegistry.CreateDefault();
        Assert.IsType<MySqlDriver>(registry.Get("mysql"));
        Assert.IsType<MySqlDriver>(registry.FindByUrl("mysql://h/d"));
        Assert.IsType<MySqlDriver>(registry.FindByUrl("mariadb://h/d"));
        Assert.IsType<MySqlDriver>(registry.Resolve("mysql", "Server=h;Database=d"));
    }

    [MariaDbFact]
    public async Task A_mysql_URI_opens_a_connection_whose_session_runs_in_UTC()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        await using var conn = await _driver.OpenAsync(Connection(uri), CancellationToken.None);
        await using var cmd = new MySqlCommand("SELECT 1, @@session.time_zone, DATABASE()", (MySqlConnection)conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, Convert.ToInt64(reader.GetValue(0)));
        Assert.Equal("+00:00", reader.GetString(1));
        Assert.Equal(uri[(uri.LastIndexOf('/') + 1)..], reader.GetString(2));
    }

    [MariaDbFact]
    public async Task A_mariadb_URI_and_a_native_string_open_too()
    {
        var native = await mariadb.NewDatabaseAsync();
        var uri = "mariadb" + (await mariadb.NewDatabaseUriAsync())["mysql".Length..];
        foreach (var text in new[] { native, uri })
        {
            await using var conn = await _driver.OpenAsync(Connection(text), CancellationToken.None);
            Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        }
    }

    [MariaDbFact]
    public async Task A_wrong_password_is_a_driver_error_that_names_the_connection_but_not_the_password()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        var e = await Assert.ThrowsAsync<DriverException>(() => _driver.OpenAsync(Connection(uri, "Sw0rdfish!"), CancellationToken.None));
        Assert.Contains("warehouse", e.Message);
        Assert.Contains($"127.0.0.1:{mariadb.Server.Port}", e.Message);
        Assert.Contains("Access denied", e.Message);
        Assert.DoesNotContain("Sw0rdfish!", e.ToString());
    }

    [MariaDbFact]
    public async Task A_server_that_is_not_there_is_a_one_line_driver_error()
    {
        var port = FreePort.Next();
        var e = await Assert.ThrowsAsync<DriverException>(() =>
            _driver.OpenAsync(Connection($"mysql://root:pw@127.0.0.1:{port}/db?connection_timeout=2", "pw"), CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}/db", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [MariaDbFact]
    public async Task TIMESTAMP_values_read_as_their_UTC_instant_whatever_zone_wrote_them()
    {
        var native = await mariadb.NewDatabaseAsync();
        await using (var writer = new MySqlConnection(native))
        {
            await writer.OpenAsync();
            await using var cmd = new MySqlCommand(
                "SET time_zone = '+05:00'; CREATE TABLE t (ts timestamp(6) NULL); INSERT INTO t VALUES ('2024-03-01 12:00:00.123456')", writer);
            await cmd.ExecuteNonQueryAsync();
        }

        await using var conn = await _driver.OpenAsync(Connection(native), CancellationToken.None);
        await using var read = new MySqlCommand("SELECT ts FROM t", (MySqlConnection)conn);
        Assert.Equal(new DateTime(2024, 3, 1, 7, 0, 0).AddTicks(1234560), (DateTime)(await read.ExecuteScalarAsync())!);
    }
}
