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

    [Fact]
    public async Task A_connection_cannot_be_its_own_default_destination()
    {
        var (editor, repository) = await StartAsync();
        var saved = await editor.CreateAsync(new ConnectionRecord { Name = "src", Driver = "", Url = "sqlite://" + _dir.File("a.db") }, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            editor.UpdateAsync(saved.Id, c => c with { DefaultDestConnectionId = saved.Id }, CancellationToken.None));

        Assert.Contains("cannot be its own default destination", refused.Message, StringComparison.Ordinal);
        Assert.Null((await repository.GetAsync(saved.Id, CancellationToken.None))!.DefaultDestConnectionId);
    }

    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a..b")]
    [InlineData("a\"b")]
    [InlineData("a/b")]
    public async Task A_name_that_is_not_a_plain_name_is_refused(string name)
    {
        var (editor, repository) = await StartAsync();
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            editor.CreateAsync(new ConnectionRecord { Name = name, Driver = "", Url = "sqlite::memory:" }, CancellationToken.None));
        Assert.Contains("name", refused.Errors.Keys);
        Assert.Empty(await repository.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("postgres://[::1", "unclosed '['")]
    [InlineData("postgres://u@[::1/db", "unclosed '['")]
    [InlineData("postgres://[db.example]:5432/x", "not an IPv6 address")]
    [InlineData("postgres://[::1]x/db", "text after its IPv6 host")]
    [InlineData("mysql://h:0/db", "port")]
    [InlineData("mysql://h:65536/db", "port")]
    [InlineData("sqlserver://h:12a/db", "port")]
    [InlineData("mysql://a,b/db", "more than one host")]
    [InlineData("postgres://h1,/db", "empty host")]
    [InlineData("postgres:///db", "no host")]
    [InlineData("postgresql://h1,h2:0/db", "port")]
    [InlineData("mariadb://[::1/db", "unclosed '['")]
    [InlineData("mariadb://a,b/db", "more than one host")]
    [InlineData("mssql://h:65536/db", "port")]
    public async Task A_server_uri_with_a_malformed_host_is_refused(string url, string expected)
    {
        var (editor, repository) = await StartAsync();
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            editor.CreateAsync(new ConnectionRecord { Name = "x", Driver = "", Url = url }, CancellationToken.None));
        Assert.Contains(expected, refused.Errors["url"][0], StringComparison.Ordinal);
        Assert.Empty(await repository.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("postgres://[::1]:5432/db")]
    [InlineData("postgres://u@[::1]/db")]
    [InlineData("postgres://h1:5432,h2:5433/db?sslmode=require")]
    [InlineData("postgresql://localhost/db")]
    [InlineData("mysql://u@127.0.0.1:3306/db")]
    [InlineData("sqlserver://sql.example/db")]
    public async Task A_well_formed_server_uri_is_kept(string url)
    {
        var (editor, _) = await StartAsync();
        var saved = await editor.CreateAsync(new ConnectionRecord { Name = "x", Driver = "", Url = url }, CancellationToken.None);
        Assert.Equal(url, saved.Url);
    }
}
