using Pipekit.Core.State;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public abstract class SettingsRepositoryFacts(TestStateStore state)
{
    [Fact]
    public async Task Set_get_list_and_delete_round_trip()
    {
        using var dir = new TempDirectory();
        await using var location = await state.LocationAsync(dir.Path);
        var store = location.Open(Migrator.ForParts([StatePart.Core], state.Kind, TimeProvider.System));
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

    public sealed class OnSqlite() : SettingsRepositoryFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : SettingsRepositoryFacts(TestStateStore.Postgres(postgres));
}
