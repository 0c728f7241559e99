using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>The registry builds a driver only when a command asks for it, and its entries agree with the drivers.</summary>
public sealed class DriverRegistryFacts
{
    [Fact]
    public void A_lookup_by_scheme_builds_only_that_driver()
    {
        var built = new List<string>();
        var registry = new DriverRegistry(BuiltInDrivers.All().Select(e => e with { Create = () => { built.Add(e.Kind); return e.Create(); } }));

        Assert.Equal("postgres", registry.Resolve(null, "postgresql://u@h/db").Kind);
        Assert.Equal("postgres", registry.Get("postgres").Kind);

        Assert.Equal(["postgres"], built);
    }

    [Fact]
    public void Every_built_in_entry_names_the_kind_and_schemes_of_the_driver_it_builds()
    {
        foreach (var entry in BuiltInDrivers.All())
        {
            var driver = entry.Create();
            Assert.Equal(entry.Kind, driver.Kind);
            Assert.Equal(entry.Schemes.Order(), driver.Schemes.Order());
        }
    }

    [Fact]
    public void An_entry_that_disagrees_with_its_driver_is_refused_when_the_driver_is_built()
    {
        var postgres = BuiltInDrivers.All().Single(e => e.Kind == "postgres");
        var registry = new DriverRegistry([postgres with { Kind = "pg" }]);

        var error = Assert.Throws<InvalidOperationException>(() => registry.Get("pg"));

        Assert.Contains("registered as 'pg'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_lists_every_built_in_kind_in_registration_order()
    {
        Assert.Equal(["postgres", "duckdb", "parquet", "sqlite", "mysql", "sqlserver", "odbc"], DriverRegistry.CreateDefault().All.Select(d => d.Kind));
    }

    [Fact]
    public void Only_the_network_server_kinds_say_so_and_asking_builds_no_driver()
    {
        var built = new List<string>();
        var registry = new DriverRegistry(BuiltInDrivers.All().Select(e => e with { Create = () => { built.Add(e.Kind); return e.Create(); } }));

        var servers = new[] { "postgres", "duckdb", "parquet", "sqlite", "mysql", "sqlserver", "odbc" }.Where(registry.IsNetworkServer);

        Assert.Equal(["postgres", "mysql", "sqlserver"], servers);
        Assert.Empty(built);
    }
}
