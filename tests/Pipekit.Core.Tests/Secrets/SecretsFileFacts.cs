using System.Runtime.Versioning;
using Pipekit.Core.Secrets;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

// File modes and owners are Unix concepts; Pipekit targets linux-x64.
[UnsupportedOSPlatform("windows")]
public sealed class SecretsFileFacts : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0640 = Mode0600 | UnixFileMode.GroupRead;

    private readonly TempDirectory _dir = new();
    private readonly string _path;

    public SecretsFileFacts()
    {
        _path = _dir.File("secrets.toml");
    }

    public void Dispose() => _dir.Dispose();

    private static Task SetAsync(string path, string? project, string key, string value) =>
        SecretsFile.SetAsync(path, project, key, value, CancellationToken.None);

    private static Task<bool> UnsetAsync(string path, string? project, string key) =>
        SecretsFile.UnsetAsync(path, project, key, CancellationToken.None);

    private static Task<SecretStore> LoadAsync(string path) => SecretStore.LoadAsync(path, CancellationToken.None);

    // The edit lock's file stays on purpose (deleting it would race with a waiting editor); anything else would be litter.
    private string[] DirectoryEntries() =>
        Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Where(n => n != ".secrets.toml.lock").Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task Set_creates_a_new_file_with_mode_0600()
    {
        await SetAsync(_path, null, "smtp_password", "s3cret-value");

        Assert.Equal(Mode0600, File.GetUnixFileMode(_path));
        Assert.Equal("[global]\nsmtp_password = \"s3cret-value\"\n", await File.ReadAllTextAsync(_path));
        Assert.Equal("s3cret-value", (await LoadAsync(_path)).Resolve(null, "smtp_password"));
    }

    [Fact]
    public async Task Set_creates_the_parent_directory_of_a_new_file()
    {
        var path = _dir.File("home/.pipekit/secrets.toml");

        await SetAsync(path, "claims_pipeline", "claims_db", "Server=x");

        Assert.Equal("Server=x", (await LoadAsync(path)).Resolve("claims_pipeline", "claims_db"));
        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Edits_made_at_the_same_time_all_survive()
    {
        const int Edits = 200;
        await SecretsFile.SetAsync(_path, null, "first", "value-0", CancellationToken.None);

        // Each edit reads the file, changes one key and replaces the file; without taking turns most would be lost.
        await Task.WhenAll(Enumerable.Range(1, Edits).Select(i => Task.Run(() => i % 3 == 0
            ? SecretsFile.SetAsync(_path, "proj", $"key{i}", $"value-{i}", CancellationToken.None)
            : SecretsFile.SetAsync(_path, null, $"key{i}", $"value-{i}", CancellationToken.None))));
        await Task.WhenAll(Enumerable.Range(1, Edits).Where(i => i % 4 == 0)
            .Select(i => Task.Run(() => SecretsFile.UnsetAsync(_path, i % 3 == 0 ? "proj" : null, $"key{i}", CancellationToken.None))));

        var store = await LoadAsync(_path);
        Assert.Equal("value-0", store.Resolve(null, "first"));
        foreach (var i in Enumerable.Range(1, Edits))
        {
            var found = store.TryResolve(i % 3 == 0 ? "proj" : null, $"key{i}", out var value);
            Assert.Equal(i % 4 == 0 ? (false, "") : (true, $"value-{i}"), (found, found ? value : ""));
        }
    }

    [Fact]
    public async Task Set_then_unset_round_trips()
    {
        await SetAsync(_path, "claims_pipeline", "claims_db", "Server=claims");
        await SetAsync(_path, null, "smtp_password", "smtp");
        Assert.Equal("Server=claims", (await LoadAsync(_path)).Resolve("claims_pipeline", "claims_db"));

        Assert.True(await UnsetAsync(_path, "claims_pipeline", "claims_db"));
        Assert.False(await UnsetAsync(_path, "claims_pipeline", "claims_db"));

        var store = await LoadAsync(_path);
        Assert.False(store.TryResolve("claims_pipeline", "claims_db", out _));
        Assert.Equal("smtp", store.Resolve("claims_pipeline", "smtp_password"));
    }

    [Theory]
    [InlineData("with \"double\" quotes")]
    [InlineData(@"back\slash\\es\")]
    [InlineData("line one\nline two\r\nline three")]
    [InlineData("$NOT_A_REFERENCE and ${BRACES}")]
    [InlineData("key=value;Password=p=q")]
    [InlineData("all of them: \" \\ \n $ = ' ''' \"\"\" # [global]")]
    [InlineData("tab\tbell\a nul\0 escape\u001b del\u007f formfeed\f backspace\b")]
    [InlineData("unicode é ß 中文 emoji 😀 rtl \u202e")]
    [InlineData("")]
    [InlineData("   leading and trailing spaces   ")]
    public async Task Set_round_trips_any_value(string value)
    {
        await SetAsync(_path, "p", "key", value);
        await SetAsync(_path, "p", "other", "after");

        var store = await LoadAsync(_path);
        Assert.Equal(value, store.Resolve("p", "key"));
        Assert.Equal("after", store.Resolve("p", "other"));
    }

    [Theory]
    [InlineData("my key", "\"my key\"")]
    [InlineData("a.b", "\"a.b\"")]
    [InlineData("quote\"d", "\"quote\\\"d\"")]
    [InlineData("bare-key_9", "bare-key_9")]
    public async Task Set_quotes_keys_that_are_not_bare(string key, string written)
    {
        await SetAsync(_path, "my.dag", key, "v");

        Assert.Equal($"[\"my.dag\"]\n{written} = \"v\"\n", await File.ReadAllTextAsync(_path));
        Assert.Equal("v", (await LoadAsync(_path)).Resolve("my.dag", key));
    }

    [Fact]
    public async Task Set_keeps_comments_blank_lines_and_key_order()
    {
        await File.WriteAllTextAsync(_path, """
            # Secrets for the claims team.
            # Rotate quarterly.

            [global]
            # mail relay
            smtp_password = "old-smtp"   # set by ops
            zeta = 'literal'

              # indented comment
            alpha = "a"

            # --- projects ---
            [claims_pipeline]
            claims_db = "Server=old"

            """);

        await SetAsync(_path, null, "smtp_password", "new-smtp");
        await SetAsync(_path, null, "beta", "b");
        await SetAsync(_path, "claims_pipeline", "claims_db", "Server=new");
        await SetAsync(_path, "warehouse", "warehouse_db", "Server=wh");

        Assert.Equal("""
            # Secrets for the claims team.
            # Rotate quarterly.

            [global]
            # mail relay
            smtp_password = "new-smtp"   # set by ops
            zeta = 'literal'

              # indented comment
            alpha = "a"
            beta = "b"

            # --- projects ---
            [claims_pipeline]
            claims_db = "Server=new"

            [warehouse]
            warehouse_db = "Server=wh"

            """, await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Unset_removes_only_the_entry_and_keeps_the_rest()
    {
        await File.WriteAllTextAsync(_path, """
            [global]
            # the relay
            smtp_password = "x" # trailing comment
            keep = "k"
            [p]
            """);

        Assert.True(await UnsetAsync(_path, null, "smtp_password"));

        Assert.Equal("""
            [global]
            # the relay
            keep = "k"
            [p]
            """, await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Set_and_unset_handle_multiline_values()
    {
        await File.WriteAllTextAsync(_path, "[global]\ncert = \"\"\"\n-----BEGIN-----\nabc\n-----END-----\"\"\"\nafter = \"a\"\n");

        await SetAsync(_path, null, "cert", "replaced");
        Assert.Equal("[global]\ncert = \"replaced\"\nafter = \"a\"\n", await File.ReadAllTextAsync(_path));

        await File.WriteAllTextAsync(_path, "[global]\ncert = '''\nline\n'''\nafter = \"a\"\n");
        Assert.True(await UnsetAsync(_path, null, "cert"));
        Assert.Equal("[global]\nafter = \"a\"\n", await File.ReadAllTextAsync(_path));

        await File.WriteAllTextAsync(_path, "[global]\ncert = '''\nline'''\n");
        await SetAsync(_path, null, "next", "n");
        Assert.Equal("[global]\ncert = '''\nline'''\nnext = \"n\"\n", await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Set_adds_a_key_to_an_empty_section_right_under_its_header()
    {
        await File.WriteAllTextAsync(_path, "[global]\na = \"1\"\n\n[empty] # no keys yet\n\n# next\n[other]\n");

        await SetAsync(_path, "empty", "k", "v");

        Assert.Equal("[global]\na = \"1\"\n\n[empty] # no keys yet\nk = \"v\"\n\n# next\n[other]\n", await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Set_handles_a_file_without_a_final_line_break()
    {
        await File.WriteAllTextAsync(_path, "[global]\na = \"1\"");
        await SetAsync(_path, null, "b", "2");
        Assert.Equal("[global]\na = \"1\"\nb = \"2\"\n", await File.ReadAllTextAsync(_path));

        await File.WriteAllTextAsync(_path, "[global]");
        await SetAsync(_path, null, "b", "2");
        Assert.Equal("[global]\nb = \"2\"\n", await File.ReadAllTextAsync(_path));

        await File.WriteAllTextAsync(_path, "[global]\na = \"1\"");
        await SetAsync(_path, "p", "b", "2");
        Assert.Equal("[global]\na = \"1\"\n\n[p]\nb = \"2\"\n", await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Set_keeps_crlf_line_ends()
    {
        await File.WriteAllTextAsync(_path, "[global]\r\na = \"1\"\r\n");

        await SetAsync(_path, null, "b", "2");
        await SetAsync(_path, "p", "c", "3");

        Assert.Equal("[global]\r\na = \"1\"\r\nb = \"2\"\r\n\r\n[p]\r\nc = \"3\"\r\n", await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Unset_leaves_a_global_key_of_the_same_name_alone()
    {
        await SetAsync(_path, null, "db", "global-db");
        await SetAsync(_path, "p", "db", "project-db");

        Assert.True(await UnsetAsync(_path, "p", "db"));

        Assert.Equal("global-db", (await LoadAsync(_path)).Resolve("p", "db"));
    }

    [Fact]
    public async Task Unset_of_a_missing_file_returns_false_and_creates_nothing()
    {
        Assert.False(await UnsetAsync(_path, null, "a"));

        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task Set_keeps_the_mode_of_an_existing_file()
    {
        await File.WriteAllTextAsync(_path, "[global]\na = \"1\"\n");
        File.SetUnixFileMode(_path, Mode0640);

        await SetAsync(_path, null, "b", "2");
        Assert.Equal(Mode0640, File.GetUnixFileMode(_path));

        Assert.True(await UnsetAsync(_path, null, "a"));
        Assert.Equal(Mode0640, File.GetUnixFileMode(_path));
    }

    [RootFact]
    public async Task Set_keeps_the_owner_of_an_existing_file()
    {
        await File.WriteAllTextAsync(_path, "[global]\na = \"1\"\n");
        File.SetUnixFileMode(_path, Mode0640);
        Assert.Equal(0, UnixFileSystem.TrySetOwner(_path, 65534, 65534));

        await SetAsync(_path, null, "b", "2");
        Assert.Equal(((uint)65534, (uint)65534), UnixFileSystem.GetOwner(_path));
        Assert.Equal(Mode0640, File.GetUnixFileMode(_path));

        Assert.True(await UnsetAsync(_path, null, "b"));
        Assert.Equal(((uint)65534, (uint)65534), UnixFileSystem.GetOwner(_path));
    }

    [Fact]
    public async Task Writes_leave_no_temp_file_behind()
    {
        await SetAsync(_path, null, "a", "1");
        await SetAsync(_path, "p", "b", "2");
        await UnsetAsync(_path, null, "a");

        Assert.Equal(new[] { "secrets.toml" }, DirectoryEntries());
    }

    [Fact]
    public async Task An_invalid_file_is_never_rewritten()
    {
        const string broken = "[global]\na = \"1\"\nb = s3cret-unquoted\n";
        await File.WriteAllTextAsync(_path, broken);

        var error = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(_path, null, "c", "3"));

        Assert.StartsWith($"{_path}:3: syntax error", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Equal(broken, await File.ReadAllTextAsync(_path));
        Assert.Equal(new[] { "secrets.toml" }, DirectoryEntries());
    }

    [Fact]
    public async Task Setting_an_unchanged_value_does_not_rewrite_the_file()
    {
        await SetAsync(_path, null, "a", "1");
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_path, old);

        await SetAsync(_path, null, "a", "1");

        Assert.Equal(old, File.GetLastWriteTimeUtc(_path));
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_file()
    {
        var first = new string('a', 200_000);
        var second = new string('b', 300_000);
        await SetAsync(_path, null, "big", first);
        using var done = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++) await SetAsync(_path, null, "big", i % 2 == 0 ? second : first);
            await done.CancelAsync();
        });
        var reads = 0;
        while (!done.IsCancellationRequested)
        {
            var value = (await LoadAsync(_path)).Resolve(null, "big");
            Assert.True(value == first || value == second, "a reader saw a torn file");
            reads++;
        }
        await writer;

        Assert.True(reads > 0);
        Assert.Equal(new[] { "secrets.toml" }, DirectoryEntries());
    }

    [Fact]
    public async Task Set_through_a_symlink_rewrites_the_target_and_keeps_the_link()
    {
        var target = _dir.File("managed.toml");
        await File.WriteAllTextAsync(target, "[global]\na = \"1\"\n");
        File.SetUnixFileMode(target, Mode0640);
        File.CreateSymbolicLink(_path, target);

        await SetAsync(_path, null, "b", "2");

        Assert.NotNull(new FileInfo(_path).LinkTarget);
        Assert.Equal("[global]\na = \"1\"\nb = \"2\"\n", await File.ReadAllTextAsync(target));
        Assert.Equal(Mode0640, File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task Set_refuses_an_empty_key_and_a_value_that_is_not_unicode()
    {
        var empty = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(_path, null, "", "v"));
        Assert.Contains("must not be empty", empty.Message);

        var surrogate = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(_path, null, "k", "s3cret\ud800"));
        Assert.Contains("secret 'k' is not valid Unicode", surrogate.Message);
        Assert.DoesNotContain("s3cret", surrogate.Message);

        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task An_env_file_is_edited_as_env_lines()
    {
        var path = _dir.File("secrets.env");
        await File.WriteAllTextAsync(path, """
            # managed by deploy.sh
            DB2PW=old

            export PGPASSWORD='old pg'
            KEEP=keep
            """);

        await SetAsync(path, null, "DB2PW", "new-db2");
        await SetAsync(path, null, "PGPASSWORD", "new pg \"quoted\" $x \\ `y`");
        await SetAsync(path, null, "ADDED", "added");
        Assert.True(await UnsetAsync(path, null, "KEEP"));

        Assert.Equal("""
            # managed by deploy.sh
            DB2PW=new-db2

            export PGPASSWORD="new pg \"quoted\" \$x \\ \`y\`"
            ADDED=added

            """, await File.ReadAllTextAsync(path));
        var store = await LoadAsync(path);
        Assert.Equal("new pg \"quoted\" $x \\ `y`", store.Resolve(null, "PGPASSWORD"));
        Assert.Equal("new-db2", store.Resolve(null, "DB2PW"));
        Assert.False(store.TryResolve(null, "KEEP", out _));
    }

    [Fact]
    public async Task An_env_file_with_a_repeated_key_is_left_with_one_line_for_it()
    {
        var path = _dir.File("secrets.env");
        await File.WriteAllTextAsync(path, "A=1\nB=2\nA=3\n");

        await SetAsync(path, null, "A", "4");

        Assert.Equal("B=2\nA=4\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task An_env_file_refuses_project_keys_and_values_it_cannot_hold()
    {
        var path = _dir.File("secrets.env");
        await File.WriteAllTextAsync(path, "A=1\n");

        var project = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(path, "claims_pipeline", "db", "s3cret"));
        Assert.Contains("env-format secrets file", project.Message);
        Assert.Contains("[claims_pipeline]", project.Message);
        Assert.DoesNotContain("s3cret", project.Message);

        var newline = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(path, null, "B", "s3cret\nline"));
        Assert.Contains("secret 'B' has a line break", newline.Message);
        Assert.DoesNotContain("s3cret", newline.Message);

        var name = await Assert.ThrowsAsync<SecretsException>(() => SetAsync(path, null, "not-a-name", "v"));
        Assert.Contains("'not-a-name' is not a valid variable name", name.Message);

        Assert.Equal("A=1\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_new_env_file_is_created_as_env_with_mode_0600()
    {
        var path = _dir.File("secrets.env");

        await SetAsync(path, null, "DB2PW", "has space");

        Assert.Equal("DB2PW=\"has space\"\n", await File.ReadAllTextAsync(path));
        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task An_env_file_without_extension_is_recognised_by_content()
    {
        var path = _dir.File("secrets");
        await File.WriteAllTextAsync(path, "export A=1\nB=\"2\"\n");

        await SetAsync(path, null, "C", "3");

        Assert.Equal("export A=1\nB=\"2\"\nC=3\n", await File.ReadAllTextAsync(path));
        Assert.Equal("2", (await LoadAsync(path)).Resolve(null, "B"));
    }
}
