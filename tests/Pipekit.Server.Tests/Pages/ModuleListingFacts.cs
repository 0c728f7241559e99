using Pipekit.Server.Pages.Modules;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Xunit;

namespace Pipekit.Server.Tests.Pages;

public sealed class ModuleListingFacts
{
    private static ModuleStatus Module(long id, string name, long source = 1, RunStatus? last = null, bool enabled = true) =>
        new(id, name, source, "t_" + name, MergeStrategy.Full, enabled,
            last is { } s ? new RunLogEntry { Id = id * 10, ModuleId = id, ModuleName = name, Status = s } : null);

    private static readonly IReadOnlyList<ModuleStatus> Some =
    [
        Module(1, "orders", last: RunStatus.Success),
        Module(2, "customers", last: RunStatus.Error),
        Module(3, "Invoices", source: 2, last: RunStatus.Running),
        Module(4, "order_lines"),
        Module(5, "refunds", last: RunStatus.Error, enabled: false),
        Module(6, "rates", source: 2, last: RunStatus.Queued),
    ];

    [Fact]
    public void States_put_disabled_first_then_never_run_then_the_newest_runs_status()
    {
        Assert.Equal(
            [ModuleState.Succeeded, ModuleState.Failing, ModuleState.Running, ModuleState.NeverRun, ModuleState.Disabled, ModuleState.Running],
            Some.Select(ModuleStates.Of));
    }

    [Fact]
    public void Matches_are_by_name_ordinal_and_counted_per_state()
    {
        var listing = ModuleListing.Of(Some, null, null);
        Assert.Equal(["Invoices", "customers", "order_lines", "orders", "rates", "refunds"], listing.Matches.Select(m => m.Name));
        Assert.Equal(1, listing.Count(ModuleState.Failing));
        Assert.Equal(2, listing.Count(ModuleState.Running));
        Assert.Equal(0, listing.Count(ModuleState.Cancelled));
        Assert.Equal(["Invoices", "rates"], listing.InState(ModuleState.Running).Select(m => m.Name));
    }

    [Fact]
    public void The_search_ignores_case_and_the_connection_filter_keeps_one_source()
    {
        Assert.Equal(["order_lines", "orders"], ModuleListing.Of(Some, " ORDER ", null).Matches.Select(m => m.Name));
        var second = ModuleListing.Of(Some, null, 2);
        Assert.Equal(["Invoices", "rates"], second.Matches.Select(m => m.Name));
        Assert.Equal(2, second.Count(ModuleState.Running));
        Assert.Equal(0, second.Count(ModuleState.Failing));
    }

    [Fact]
    public void Keyset_pages_walk_forwards_and_back_without_gaps_or_repeats()
    {
        var all = Enumerable.Range(1, 25).Select(i => Module(i, $"m{i:D2}")).ToList();
        var first = ModuleListing.Page(all, null, null, 10);
        Assert.Equal((0, 25, false, true), (first.Offset, first.Total, first.HasEarlier, first.HasLater));
        Assert.Equal("m01", first.Rows[0].Name);
        var second = ModuleListing.Page(all, first.Rows[^1].Name, null, 10);
        Assert.Equal(["m11", "m20"], new[] { second.Rows[0].Name, second.Rows[^1].Name });
        Assert.True(second.HasEarlier && second.HasLater);
        var last = ModuleListing.Page(all, second.Rows[^1].Name, null, 10);
        Assert.Equal((20, 5, true, false), (last.Offset, last.Rows.Count, last.HasEarlier, last.HasLater));
        var back = ModuleListing.Page(all, null, last.Rows[0].Name, 10);
        Assert.Equal(second.Rows, back.Rows);
        var front = ModuleListing.Page(all, null, "m05", 10);
        Assert.Equal((0, 4, false, true), (front.Offset, front.Rows.Count, front.HasEarlier, front.HasLater));
    }

    [Fact]
    public void A_cursor_name_that_is_gone_still_pages_from_where_it_stood()
    {
        var all = new[] { "a", "c", "e", "g" }.Select((n, i) => Module(i + 1, n)).ToList();
        Assert.Equal(["e", "g"], ModuleListing.Page(all, "d", null, 10).Rows.Select(m => m.Name));
        Assert.Equal(["a", "c"], ModuleListing.Page(all, null, "d", 10).Rows.Select(m => m.Name));
        Assert.Empty(ModuleListing.Page(all, "z", null, 10).Rows);
    }

    [Fact]
    public void Every_state_has_a_query_value_that_parses_back()
    {
        foreach (var s in ModuleStates.All)
        {
            Assert.True(ModuleStates.TryParse(ModuleStates.Key(s), out var parsed));
            Assert.Equal(s, parsed);
        }
        Assert.False(ModuleStates.TryParse("broken", out _));
        Assert.Equal(Enum.GetValues<ModuleState>().Length, ModuleStates.All.Distinct().Count());
    }
}
