using Pipekit.Core.Secrets;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

/// <summary>
/// A long-running process sees the secrets file as it is now: a key set, changed or removed with
/// <see cref="SecretsFile"/> after the store was loaded resolves at once, and the redactor masks its value at once.
/// </summary>
public sealed class SecretStoreReloadFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_secret_set_after_loading_resolves_and_is_redacted_at_once()
    {
        var path = _dir.File("secrets.toml");
        await SecretsFile.SetAsync(path, null, "OLD", "old-value-1", CancellationToken.None);
        var store = await SecretStore.LoadAsync(path, CancellationToken.None);
        var redactor = Redactor.FromStore(store);

        await SecretsFile.SetAsync(path, null, "NEW", "fresh-value-2", CancellationToken.None);

        Assert.True(store.TryResolve(null, "NEW", out var value));
        Assert.Equal("fresh-value-2", value);
        Assert.Equal("fresh-value-2", store.ResolveReference(null, "$NEW"));
        Assert.Equal("a *** b ***", redactor.Redact("a fresh-value-2 b old-value-1"));
    }

    [Fact]
    public async Task A_store_loaded_before_the_file_existed_sees_it_once_created()
    {
        var path = _dir.File("later.toml");
        var store = await SecretStore.LoadOrEmptyAsync(path, CancellationToken.None);
        var redactor = Redactor.FromStore(store);

        await SecretsFile.SetAsync(path, "sales", "PW", "created-later", CancellationToken.None);

        Assert.True(store.Exists);
        Assert.Equal("created-later", store.Resolve("sales", "PW"));
        Assert.Equal("***", redactor.Redact("created-later"));
    }

    [Fact]
    public async Task A_changed_value_is_redacted_and_the_old_one_still_is()
    {
        var path = _dir.File("secrets.toml");
        await SecretsFile.SetAsync(path, null, "PW", "first-value", CancellationToken.None);
        var store = await SecretStore.LoadAsync(path, CancellationToken.None);
        var redactor = Redactor.FromStore(store);

        await SecretsFile.SetAsync(path, null, "PW", "second-value", CancellationToken.None);

        Assert.Equal("second-value", store.Resolve(null, "PW"));
        Assert.Equal("*** ***", redactor.Redact("first-value second-value"));
    }

    [Fact]
    public async Task A_file_broken_by_hand_keeps_the_last_good_secrets()
    {
        var path = _dir.File("secrets.toml");
        await SecretsFile.SetAsync(path, null, "PW", "kept-value", CancellationToken.None);
        var store = await SecretStore.LoadAsync(path, CancellationToken.None);

        await File.WriteAllTextAsync(path, "[global\nPW = \"broken\"\n");

        Assert.Equal("kept-value", store.Resolve(null, "PW"));
    }
}
