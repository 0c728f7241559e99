using Microsoft.Data.SqlClient;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

public sealed class SqlServerBulkWriterFacts
{
    private static readonly BulkWriteTarget Target = new(new TableName("orders", "sales"), ["id", "name"]);

    [Fact]
    public void Loads_keep_identity_values_and_nulls_and_lock_the_table_only_when_asked()
    {
        using var conn = new SqlConnection();
        var plain = new SqlServerBulkWriter(conn, Target, new SqlServerDialect(), new SqlServerBulkWriterOptions());
        var locking = new SqlServerBulkWriter(conn, Target, new SqlServerDialect(), new SqlServerBulkWriterOptions { TableLock = true });
        Assert.Equal(SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls, plain.CopyOptions);
        Assert.Equal(SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | SqlBulkCopyOptions.TableLock, locking.CopyOptions);
    }

    [Fact]
    public void The_default_bulk_copy_has_no_timeout() =>
        Assert.Equal(0, new SqlServerBulkWriterOptions().BulkCopyTimeoutSeconds);

    [Fact]
    public void A_table_behind_a_linked_server_cannot_be_bulk_loaded()
    {
        using var conn = new SqlConnection();
        var e = Assert.Throws<DriverException>(() => new SqlServerDriver().CreateBulkWriter(conn, new BulkWriteTarget(new TableName("t", "dbo", "db", "remote"), ["a"])));
        Assert.Contains("linked server 'remote'", e.Message);
    }

    [Fact]
    public void The_driver_writes_only_through_a_SqlConnection()
    {
        using var other = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        Assert.Throws<ArgumentException>(() => new SqlServerDriver().CreateBulkWriter(other, Target));
    }

    [Fact]
    public async Task Disposing_a_writer_that_never_wrote_touches_nothing()
    {
        using var conn = new SqlConnection();
        await using var writer = new SqlServerDriver().CreateBulkWriter(conn, Target);
        await writer.CompleteAsync(CancellationToken.None);
    }
}
