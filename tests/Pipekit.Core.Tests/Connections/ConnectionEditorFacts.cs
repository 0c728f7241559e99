using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.State;
using Pipekit.Core.Validation;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Connections;

/// <summary>The one place connections change, for the API and the CLI alike: a refused change leaves the stored row as it was.</summary>
public sealed class ConnectionEditorFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(ConnectionEditor Editor, ConnectionRepository Repository)> StartAsync()
    {
        var store = new StateStore(_dir.File("pipekit.db"), 5000, Migrator.ForParts([StatePart.Core], StoreKind.Sqlite, TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        var repository = new ConnectionRepository(store, TimeProvider.System);
        return (new ConnectionEditor(repository, new ConnectionValidator(DriverRegistry.CreateDefault())), repository);
    }

    [Fact]
    public async Task Create_infers_the_driver_and_update_keeps_what_the_change_leaves_alone()
    {
        var (editor, _) = await StartAsync();
        var saved = await editor.CreateAsync(new ConnectionRecord { Name = "src", Driver = "", Url = "sqlite://" + _dir.File("a.db"), Notes = "n" }, CancellationToken.None);
        Assert.Equal("sqlite", saved.Driver);

        var updated = await editor.UpdateAsync(saved.Id, c => c with { Name = "source" }, CancellationToken.None);

        Assert.Equal(("source", "sqlite", "n"), (updated.Name, updated.Driver, updated.Notes));
    }

    [Fact]
    public async Task A_default_destination_that_does_not_exist_is_refused_and_changes_nothing()
    {
        var (editor, repository) = await StartAsync();
        var saved = await editor.CreateAsync(new ConnectionRecord { Name = "src", Driver = "", Url = "sqlite://" + _dir.File("a.db") }, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            editor.UpdateAsync(saved.Id, c => c with { Name = "renamed", DefaultDestConnectionId = 999 }, CancellationToken.None));
        Assert.Equal("default_dest_connection_id: connection 999 does not exist", refused.Message);
        await Assert.ThrowsAsync<ValidationException>(() => editor.CreateAsync(
            new ConnectionRecord { Name = "other", Driver = "", Url = "sqlite://" + _dir.File("b.db"), DefaultDestConnectionId = 999 }, CancellationToken.None));

        Assert.Equal(["src"], (await repository.ListAsync(CancellationToken.None)).Select(c => c.Name));
    }

    [Fact]
    public async Task Update_and_delete_of_an_unknown_id_are_not_found()
    {
        var (editor, _) = await StartAsync();
        await Assert.ThrowsAsync<ConnectionNotFoundException>(() => editor.UpdateAsync(42, c => c, CancellationToken.None));
        await Assert.ThrowsAsync<ConnectionNotFoundException>(() => editor.DeleteAsync(42, CancellationToken.None));
    }
}
