using Pipekit.Core.Secrets;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

public sealed class SecretStoreFacts : IDisposable
{
    private const string PitFile = """
        # Pit secrets
        [global]
        smtp_password = "global-smtp-pass"
        claims_db = "global-claims-db"

        [claims_pipeline]
        claims_db = "Server=claims;User Id=app;Password=claims-pass"

        [warehouse_transforms]
        warehouse_db = "Server=wh;Database=analytics"

        [empty_project]
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<SecretStore> LoadAsync(string text, string name = "secrets.toml")
    {
        var path = _dir.File(name);
        await File.WriteAllTextAsync(path, text);
        return await SecretStore.LoadAsync(path, CancellationToken.None);
    }

    private async Task<SecretsException> LoadFailsAsync(string text, string name = "secrets.toml") =>
        await Assert.ThrowsAsync<SecretsException>(() => LoadAsync(text, name));

    [Fact]
    public async Task Resolve_prefers_the_project_section_over_global()
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal("Server=claims;User Id=app;Password=claims-pass", store.Resolve("claims_pipeline", "claims_db"));
        Assert.Equal("global-claims-db", store.Resolve("warehouse_transforms", "claims_db"));
        Assert.Equal("Server=wh;Database=analytics", store.Resolve("warehouse_transforms", "warehouse_db"));
    }

    [Fact]
    public async Task Resolve_falls_back_to_global_when_the_project_section_lacks_the_key()
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal("global-smtp-pass", store.Resolve("claims_pipeline", "smtp_password"));
    }

    [Fact]
    public async Task Resolve_falls_through_an_empty_project_section_to_global()
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal("global-smtp-pass", store.Resolve("empty_project", "smtp_password"));
        Assert.Contains("empty_project", store.Projects);
    }

    [Fact]
    public async Task Resolve_uses_global_for_a_project_without_a_section()
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal("global-claims-db", store.Resolve("unknown_dag", "claims_db"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("global")]
    public async Task Resolve_reads_only_global_without_a_project(string? project)
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal("global-claims-db", store.Resolve(project, "claims_db"));
        Assert.False(store.TryResolve(project, "warehouse_db", out _));
    }

    [Fact]
    public async Task Resolve_of_a_missing_key_names_the_key_the_sections_and_the_file()
    {
        var store = await LoadAsync(PitFile);

        var error = Assert.Throws<SecretsException>(() => store.Resolve("claims_pipeline", "nope"));

        Assert.Equal($"secret 'nope' not found in [claims_pipeline] or [global] of {store.Path}", error.Message);
    }

    [Fact]
    public async Task Resolve_of_a_missing_global_key_names_only_global()
    {
        var store = await LoadAsync(PitFile);

        var error = Assert.Throws<SecretsException>(() => store.Resolve(null, "nope"));

        Assert.Equal($"secret 'nope' not found in [global] of {store.Path}", error.Message);
    }

    [Fact]
    public async Task TryResolve_returns_false_for_a_missing_key()
    {
        var store = await LoadAsync(PitFile);

        Assert.False(store.TryResolve("claims_pipeline", "nope", out var value));
        Assert.Equal("", value);
        Assert.True(store.TryResolve("claims_pipeline", "smtp_password", out value));
        Assert.Equal("global-smtp-pass", value);
    }

    [Fact]
    public async Task LoadAsync_of_a_missing_file_says_how_to_create_it()
    {
        var path = _dir.File("absent.toml");

        var error = await Assert.ThrowsAsync<SecretsException>(() => SecretStore.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"secrets file {path} not found; create it with 'pipekit secrets set KEY'", error.Message);
    }

    [Fact]
    public async Task LoadAsync_of_a_directory_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<SecretsException>(() => SecretStore.LoadAsync(_dir.Path, CancellationToken.None));

        Assert.Contains("is a directory", error.Message);
    }

    [Fact]
    public async Task LoadOrEmptyAsync_of_a_missing_file_is_empty_and_remembers_the_path()
    {
        var path = _dir.File("sub/secrets.toml");

        var store = await SecretStore.LoadOrEmptyAsync(path, CancellationToken.None);

        Assert.Equal(path, store.Path);
        Assert.False(store.Exists);
        Assert.Empty(store.Projects);
        Assert.Empty(store.Keys(null));
        Assert.Empty(store.Values);
        var error = Assert.Throws<SecretsException>(() => store.Resolve("p", "db"));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task LoadOrEmptyAsync_of_an_existing_file_loads_it()
    {
        await File.WriteAllTextAsync(_dir.File("secrets.toml"), PitFile);

        var store = await SecretStore.LoadOrEmptyAsync(_dir.File("secrets.toml"), CancellationToken.None);

        Assert.True(store.Exists);
        Assert.Equal("global-smtp-pass", store.Resolve(null, "smtp_password"));
    }

    [Fact]
    public async Task Path_is_absolute()
    {
        await File.WriteAllTextAsync(_dir.File("secrets.toml"), PitFile);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _dir.File("secrets.toml"));

        var store = await SecretStore.LoadAsync(relative, CancellationToken.None);

        Assert.Equal(_dir.File("secrets.toml"), store.Path);
    }

    [Fact]
    public async Task Keys_lists_one_section_and_Projects_lists_the_sections_but_global()
    {
        var store = await LoadAsync(PitFile);

        Assert.Equal(new[] { "claims_db", "smtp_password" }, store.Keys(null));
        Assert.Equal(new[] { "claims_db" }, store.Keys("claims_pipeline"));
        Assert.Empty(store.Keys("empty_project"));
        Assert.Empty(store.Keys("unknown"));
        Assert.Equal(new[] { "claims_pipeline", "empty_project", "warehouse_transforms" }, store.Projects);
    }

    [Fact]
    public async Task Values_holds_every_value_once()
    {
        var store = await LoadAsync("""
            [global]
            a = "same"
            [p]
            a = "same"
            b = "other"
            """);

        Assert.Equal(new[] { "other", "same" }, store.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Toml_escapes_literal_strings_and_multiline_strings_are_decoded()
    {
        var store = await LoadAsync(""""
            [global]
            basic = "a\"b\\c\nd\u00e9"
            literal = 'C:\path\no-escape'
            multi = """
            line1
            line2"""
            "quoted key" = "q"
            ["my.dag"]
            key = "dotted project"
            """");

        Assert.Equal("a\"b\\c\nd\u00e9", store.Resolve(null, "basic"));
        Assert.Equal(@"C:\path\no-escape", store.Resolve(null, "literal"));
        Assert.Equal("line1\nline2", store.Resolve(null, "multi"));
        Assert.Equal("q", store.Resolve(null, "quoted key"));
        Assert.Equal("dotted project", store.Resolve("my.dag", "key"));
    }

    [Fact]
    public async Task A_syntax_error_names_the_file_and_line_but_not_the_value()
    {
        var error = await LoadFailsAsync("""
            [global]
            ok = "fine"

            password = hunter2-unquoted
            """);

        Assert.StartsWith($"{_dir.File("secrets.toml")}:4: syntax error: ", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Theory]
    [InlineData("[global]\nkey = \"unterminated-s3cret-value\n", 2)]
    [InlineData("[global]\nkey = \"bad\\qs3cret-value\"\n", 2)]
    [InlineData("[global]\nkey = \"s3cret-value\" trailing-s3cret-value\n", 2)]
    [InlineData("[global]\nkey = \"s3cret-value\"\nkey = \"s3cret-value-two\"\n", 3)]
    [InlineData("[global]\n\n\nkey = s3cret-value\n", 4)]
    [InlineData("[global]\nkey = \"\"\"s3cret-value\n", 2)]
    [InlineData("[global]\nkey = '''s3cret-value\n", 2)]
    [InlineData("[global]\nkey = [\"s3cret-value\", \n", 3)]
    public async Task No_syntax_error_quotes_the_secret(string text, int line)
    {
        var error = await LoadFailsAsync(text);

        Assert.StartsWith($"{_dir.File("secrets.toml")}:{line}: ", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("top = \"s3cret-value\"\n[global]\n", 1, "secret 'top' is outside any section")]
    [InlineData("[global]\nport = 5432\n", 2, "secret 'port' in [global] must be a quoted string")]
    [InlineData("[global]\nflags = [\"s3cret-value\"]\n", 2, "secret 'flags' in [global] must be a quoted string")]
    [InlineData("[global]\ncreds = { user = [\"s3cret-value\"] }\n", 2, "field 'user' of secret global.creds must be a quoted string, an integer or a boolean")]
    [InlineData("[a.b.c]\nk = \"s3cret-value\"\n", 1, "section [a.b.c] is nested too deep")]
    [InlineData("[global]\na.b = \"s3cret-value\"\n", 2, "dotted key a.b in [global] is not allowed")]
    [InlineData("[[tasks]]\nk = \"s3cret-value\"\n", 1, "arrays of tables ([[...]]) are not allowed")]
    public async Task A_file_that_is_TOML_but_not_a_secrets_file_is_refused_with_its_line(string text, int line, string reason)
    {
        var error = await LoadFailsAsync(text);

        Assert.StartsWith($"{_dir.File("secrets.toml")}:{line}: {reason}", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public async Task An_env_file_is_read_as_global()
    {
        var store = await LoadAsync("""
            # Pipekit secrets
            DB2PW=plain-value

            export PGPASSWORD='single $quoted # not a comment'
            MSSQL_PW="double \"quoted\" \$HOME \\ \n"
              SPACED = spaced-value  
            BARE_ESCAPE=a\ b\#c
            EMPTY=
            ; systemd comment
            """, "secrets.env");

        Assert.Equal("plain-value", store.Resolve(null, "DB2PW"));
        Assert.Equal("single $quoted # not a comment", store.Resolve(null, "PGPASSWORD"));
        Assert.Equal("double \"quoted\" $HOME \\ \\n", store.Resolve(null, "MSSQL_PW"));
        Assert.Equal("spaced-value", store.Resolve(null, "SPACED"));
        Assert.Equal("a b#c", store.Resolve(null, "BARE_ESCAPE"));
        Assert.Equal("", store.Resolve(null, "EMPTY"));
        Assert.Equal("plain-value", store.Resolve("any_project", "DB2PW"));
        Assert.Empty(store.Projects);
    }

    [Fact]
    public async Task In_an_env_file_the_last_of_a_repeated_key_wins()
    {
        var store = await LoadAsync("A=first\nA=second\n", "secrets.env");

        Assert.Equal("second", store.Resolve(null, "A"));
    }

    [Theory]
    [InlineData("A=ok\nnot an assignment s3cret-value\n", 2, "expected KEY=VALUE")]
    [InlineData("A=\"s3cret-value\n", 1, "unterminated double quote")]
    [InlineData("A='s3cret-value\n", 1, "unterminated single quote")]
    [InlineData("A=\"s3cret\"-value\n", 1, "unexpected text after the closing quote")]
    [InlineData("\n1BAD=s3cret-value\n", 2, "invalid variable name")]
    public async Task An_env_syntax_error_names_the_line_but_not_the_value(string text, int line, string reason)
    {
        var error = await LoadFailsAsync(text, "secrets.env");

        Assert.StartsWith($"{_dir.File("secrets.env")}:{line}: syntax error: {reason}", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public async Task ResolveReference_looks_in_the_project_then_global_then_the_environment()
    {
        var name = "PIPEKIT_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var store = await LoadAsync($"""
            [global]
            SHARED = "from-global"
            [claims_pipeline]
            SHARED = "from-project"
            """);
        Environment.SetEnvironmentVariable(name, "from-environment");
        try
        {
            Assert.Equal("from-project", store.ResolveReference("claims_pipeline", "$SHARED"));
            Assert.Equal("from-global", store.ResolveReference("other", "$SHARED"));
            Assert.Equal("from-global", store.ResolveReference(null, "${SHARED}"));
            Assert.Equal("from-environment", store.ResolveReference("claims_pipeline", "$" + name));
            Assert.Equal("from-environment", store.ResolveReference(null, "${" + name + "}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task ResolveReference_prefers_the_file_over_the_environment()
    {
        var name = "PIPEKIT_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var store = await LoadAsync($"[global]\n{name} = \"from-file\"\n");
        Environment.SetEnvironmentVariable(name, "from-environment");
        try
        {
            Assert.Equal("from-file", store.ResolveReference(null, "$" + name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task ResolveReference_of_an_unknown_name_says_where_it_looked()
    {
        var name = "PIPEKIT_TEST_ABSENT_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var store = await LoadAsync(PitFile);

        var error = Assert.Throws<SecretsException>(() => store.ResolveReference("claims_pipeline", "$" + name));

        Assert.Equal($"secret '{name}' not found in [claims_pipeline] or [global] of {store.Path}, nor in the environment", error.Message);
    }

    [Theory]
    [InlineData("plain-password")]
    [InlineData("$")]
    [InlineData("${}")]
    [InlineData("${OPEN")]
    [InlineData("$has space")]
    [InlineData("")]
    public async Task ResolveReference_refuses_a_literal_without_repeating_it(string reference)
    {
        var store = await LoadAsync(PitFile);

        var error = Assert.Throws<SecretsException>(() => store.ResolveReference(null, reference));

        Assert.StartsWith("password must be a $NAME reference", error.Message);
        if (reference.Length > 3) Assert.DoesNotContain(reference, error.Message);
    }

    [Fact]
    public async Task A_missing_key_error_never_contains_a_value()
    {
        var store = await LoadAsync(PitFile);

        var error = Assert.Throws<SecretsException>(() => store.Resolve("claims_pipeline", "missing"));

        foreach (var value in store.Values) Assert.DoesNotContain(value, error.Message);
    }

    [Fact]
    public async Task An_empty_file_is_a_valid_empty_store()
    {
        var store = await LoadAsync("# nothing yet\n");

        Assert.True(store.Exists);
        Assert.Empty(store.Keys(null));
        Assert.False(store.TryResolve(null, "a", out _));
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused()
    {
        var path = _dir.File("secrets.toml");
        await File.WriteAllBytesAsync(path, [.. "[global]\na = \"caf"u8, 0xE9, .. "\"\n"u8]);

        var error = await Assert.ThrowsAsync<SecretsException>(() => SecretStore.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"secrets file {path} is not valid UTF-8; convert it, for example with iconv -t UTF-8", error.Message);
    }

    [Fact]
    public async Task A_byte_order_mark_and_crlf_line_ends_are_accepted()
    {
        var store = await LoadAsync("\uFEFF[global]\r\nA = \"v1\"\r\n[p]\r\nB = \"v2\"\r\n");

        Assert.Equal("v1", store.Resolve("p", "A"));
        Assert.Equal("v2", store.Resolve("p", "B"));
    }

    private const string TableFile = """
        [global.claims_db]
        host = "global-host"
        user = "global-user"
        password = "global-table-pass"

        [global]
        smtp = { host = "smtp.example.com", port = 587, password = "smtp-inline-pass" }

        [claims_pipeline.claims_db]
        host = "claims-host"
        user = "claims-user"
        password = "claims-table-pass"

        [claims_pipeline]
        plain = "plain-value"

        [other_dag]
        claims_db = "plain-shadow-value"
        """;

    [Fact]
    public async Task A_table_secret_resolves_to_a_json_object_string_project_first()
    {
        var store = await LoadAsync(TableFile);

        Assert.Equal("""{"host":"claims-host","user":"claims-user","password":"claims-table-pass"}""", store.Resolve("claims_pipeline", "claims_db"));
        Assert.Equal("""{"host":"global-host","user":"global-user","password":"global-table-pass"}""", store.Resolve("unknown_dag", "claims_db"));
        Assert.Equal("plain-value", store.Resolve("claims_pipeline", "plain"));
    }

    [Fact]
    public async Task A_table_secret_field_resolves_project_first_then_global()
    {
        var store = await LoadAsync(TableFile);

        Assert.True(store.TryResolveField("claims_pipeline", "claims_db", "password", out var scoped));
        Assert.Equal("claims-table-pass", scoped);
        Assert.True(store.TryResolveField("another_dag", "claims_db", "user", out var global));
        Assert.Equal("global-user", global);
        Assert.True(store.TryResolveField(null, "smtp", "port", out var port));
        Assert.Equal("587", port);
        Assert.False(store.TryResolveField("claims_pipeline", "claims_db", "missing", out _));
        Assert.False(store.TryResolveField("claims_pipeline", "plain", "host", out _));
    }

    [Fact]
    public async Task A_plain_project_secret_shadows_a_global_table_of_the_same_name()
    {
        var store = await LoadAsync(TableFile);

        Assert.Equal("plain-shadow-value", store.Resolve("other_dag", "claims_db"));
        Assert.False(store.TryResolveField("other_dag", "claims_db", "password", out _));
    }

    [Fact]
    public async Task Every_table_field_value_is_known_to_the_redactor()
    {
        var store = await LoadAsync(TableFile);
        var redactor = Redactor.FromStore(store);

        var text = redactor.Redact("claims-table-pass global-table-pass smtp-inline-pass claims-host plain-value");

        Assert.Equal("*** *** *** *** ***", text);
    }

    [Fact]
    public async Task Table_secrets_are_listed_with_the_plain_keys_of_their_section()
    {
        var store = await LoadAsync(TableFile);

        Assert.Equal(["claims_db", "plain"], store.Keys("claims_pipeline"));
        Assert.Contains("claims_pipeline", store.Projects);
    }

    [Fact]
    public async Task Setting_a_plain_value_over_a_table_secret_is_refused_and_the_file_is_unchanged()
    {
        var path = _dir.File("secrets.toml");
        await File.WriteAllTextAsync(path, TableFile);

        var error = await Assert.ThrowsAsync<SecretsException>(() => SecretsFile.SetAsync(path, "claims_pipeline", "claims_db", "new-value", CancellationToken.None));

        Assert.Contains("is a table of fields", error.Message);
        Assert.Equal(TableFile, await File.ReadAllTextAsync(path));
    }
}
