using DuckDB.NET.Data;
using Pipekit.Core.Drivers;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.DuckDb;

public sealed class DuckDbDriverFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_duckdb_driver_switches_a_command_to_streaming()
    {
        var dbs = new TestDatabases(null, _dir);
        await using var db = await dbs.OpenAsync(await dbs.CreateAsync("duckdb"));
        await using var command = (DuckDBCommand)db.CreateCommand();

        ((IStreamingReads)dbs.Drivers.Get("duckdb")).PrepareForStreaming(command);

        Assert.True(command.UseStreamingMode);
    }
}
