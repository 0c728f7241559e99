using Pipekit.Core.State;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public sealed class SettingsRepositoryFacts
{
    [Fact]
    public async Task Set_get_list_and_delete_round_trip()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, Migrator.ForParts([StatePart.Core], StoreKind.Sqlite, TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        var repo = new SettingsRepository(store, TimeProvider.System);

        Assert.Null(await repo.GetAsync("theme", CancellationToken.None));
        await repo.SetAsync("theme", "dark", CancellationToken.None);
        await repo.SetAsync("theme", "light", CancellationToken.None);
        Assert.Equal("light", await repo.GetAsync("theme", CancellationToken.None));
        Assert.Equal(["theme"], (await repo.ListAsync(CancellationToken.None)).Select(s => s.Key));
        Assert.True(await repo.DeleteAsync("theme", CancellationToken.None));
        Assert.False(await repo.DeleteAsync("theme", CancellationToken.None));
    }
}
