using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>Which built-in drivers offer which optional capability.</summary>
public sealed class DriverCapabilityFacts
{
    [Fact]
    public void Only_the_postgres_driver_offers_a_raw_copy_and_only_duckdb_and_its_parquet_lake_need_streaming_switched_on()
    {
        var drivers = DriverRegistry.CreateDefault().All;

        Assert.Equal(["postgres"], drivers.OfType<IRawCopy>().Select(d => ((IDriver)d).Kind));
        Assert.Equal(["duckdb", "parquet"], drivers.OfType<IStreamingReads>().Select(d => ((IDriver)d).Kind));
    }
}
