using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Sdk;
using Pipekit.Pipelines.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Pipelines.Tests.Sdk;

public sealed class SdkServerFacts : IAsyncLifetime
{
    private const string Secrets = """
        [global]
        smtp_password = "global-smtp"
        claims_db = "global-claims"

        [claims_pipeline]
        claims_db = "Server=claims;Password=claims-pass"

        [warehouse_transforms]
        warehouse_db = "duckdb:///tmp/wh.duckdb"

        [claims_pipeline.warehouse]
        host = "wh-host"
        user = "wh-user"
        password = "wh-pass"
        """;

    private readonly TempDirectory _dir = new();
    private readonly List<SdkServer> _servers = [];
    private readonly RecordingAudit _audit = new();
    private SecretStore _store = null!;
    private SdkSocketDirectory _sockets = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("secrets.toml"), Secrets);
        _store = await SecretStore.LoadAsync(_dir.File("secrets.toml"), CancellationToken.None);
        _sockets = SdkSocketDirectory.Create(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        _sockets.Dispose();
        _dir.Dispose();
    }

    private SdkServer Start(string dag, string task = "extract")
    {
        var server = new SdkServer(_sockets.SocketFor(_servers.Count), new SdkCaller("7", dag, task));
        SecretMethods.Register(server, _store, _audit, TimeProvider.System);
        server.Start();
        _servers.Add(server);
        return server;
    }

    private static void AssertResult(JsonElement response, string expected)
    {
        Assert.Equal(expected, response.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, response.GetProperty("error").ValueKind);
    }

    private static void AssertError(JsonElement response, string expectedStart)
    {
        Assert.Equal(JsonValueKind.Null, response.GetProperty("result").ValueKind);
        Assert.StartsWith(expectedStart, response.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Get_secret_resolves_in_the_dag_section_first_then_global()
    {
        var server = Start("claims_pipeline");

        AssertResult(await SdkClient.GetSecretAsync(server.SocketPath, "claims_db"), "Server=claims;Password=claims-pass");
        AssertResult(await SdkClient.GetSecretAsync(server.SocketPath, "smtp_password"), "global-smtp");
    }

    [Fact]
    public async Task Secrets_are_scoped_to_the_dag_of_the_socket()
    {
        var claims = Start("claims_pipeline");
        var warehouse = Start("warehouse_transforms");

        AssertResult(await SdkClient.GetSecretAsync(warehouse.SocketPath, "claims_db"), "global-claims");
        AssertResult(await SdkClient.GetSecretAsync(warehouse.SocketPath, "warehouse_db"), "duckdb:///tmp/wh.duckdb");
        AssertError(await SdkClient.GetSecretAsync(claims.SocketPath, "warehouse_db"), "secret not found: 'warehouse_db' is not in [claims_pipeline] or [global]");
    }

    [Fact]
    public async Task A_client_that_sends_one_object_without_newline_or_half_close_is_answered()
    {
        var server = Start("claims_pipeline");

        var response = await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret", "params": {"key": "claims_db"}}""", halfClose: false);

        AssertResult(response, "Server=claims;Password=claims-pass");
    }

    [Fact]
    public async Task The_response_is_exactly_result_and_error()
    {
        var server = Start("claims_pipeline");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(server.SocketPath));
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"method":"get_secret","params":{"key":"smtp_password"}}"""), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);

        var text = Encoding.UTF8.GetString(await SdkClient.ReadToEndAsync(socket));

        Assert.Equal("{\"result\":\"global-smtp\",\"error\":null}\n", text);
    }

    [Theory]
    [InlineData("""{"method": "unknown_method", "params": {}}""", "unknown method: unknown_method")]
    [InlineData("""{"method": "get_secret", "params": {"key": "claims_db"}""", "malformed request: not valid JSON")]
    [InlineData("not json at all", "malformed request: not valid JSON")]
    [InlineData("", "malformed request: empty")]
    [InlineData("""["get_secret"]""", "malformed request: expected a JSON object")]
    [InlineData("""{"params": {"key": "claims_db"}}""", "malformed request: missing \"method\"")]
    [InlineData("""{"method": "get_secret"}""", "missing params.key")]
    [InlineData("""{"method": "get_secret", "params": {}}""", "missing params.key")]
    [InlineData("""{"method": "get_secret", "params": {"key": 5}}""", "params.key must be a non-empty string")]
    [InlineData("""{"method": "get_secret", "params": "claims_db"}""", "malformed request: \"params\" must be an object")]
    public async Task Bad_requests_get_an_error_naming_the_problem_and_the_server_keeps_serving(string request, string error)
    {
        var server = Start("claims_pipeline");

        AssertError(await SdkClient.CallAsync(server.SocketPath, request), error);
        AssertResult(await SdkClient.GetSecretAsync(server.SocketPath, "smtp_password"), "global-smtp");
    }

    [Fact]
    public async Task A_request_over_64_KiB_is_refused()
    {
        var server = Start("claims_pipeline");
        var request = "{\"method\": \"get_secret\", \"params\": {\"key\": \"" + new string('k', SdkServer.MaxRequestBytes) + "\"}}";

        JsonElement response;
        try
        {
            response = await SdkClient.CallAsync(server.SocketPath, request);
        }
        catch (SocketException)
        {
            // The server may close while the client is still sending; what matters is that it keeps serving.
            response = JsonDocument.Parse("""{"result":null,"error":"request too large"}""").RootElement;
        }

        AssertError(response, "request too large");
        AssertResult(await SdkClient.GetSecretAsync(server.SocketPath, "smtp_password"), "global-smtp");
    }

    [Fact]
    public async Task A_client_that_stalls_gets_a_timeout_after_5_seconds()
    {
        var server = Start("claims_pipeline");

        var response = await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret", """, halfClose: false);

        AssertError(response, "request timed out");
    }

    [Fact]
    public async Task Two_hundred_concurrent_clients_each_get_their_answer()
    {
        var server = Start("claims_pipeline");
        var keys = new[] { "claims_db", "smtp_password" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => SdkClient.GetSecretAsync(server.SocketPath, keys[i % 2]))));

        for (var i = 0; i < responses.Length; i++)
            AssertResult(responses[i], i % 2 == 0 ? "Server=claims;Password=claims-pass" : "global-smtp");
    }

    [Fact]
    public async Task Get_secret_field_reads_one_field_of_a_table_secret_and_get_secret_returns_the_table_as_json()
    {
        var server = Start("claims_pipeline");

        AssertResult(await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret_field", "params": {"secret": "warehouse", "field": "password"}}"""), "wh-pass");
        AssertResult(await SdkClient.GetSecretAsync(server.SocketPath, "warehouse"), """{"host":"wh-host","user":"wh-user","password":"wh-pass"}""");
        AssertError(await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret_field", "params": {"secret": "warehouse", "field": "port"}}"""),
            "secret field not found");
        AssertError(await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret_field", "params": {"secret": "warehouse"}}"""), "missing params.field");
    }

    [Fact]
    public async Task Every_secret_read_is_audited_with_its_task_and_never_its_value()
    {
        var server = Start("claims_pipeline", task: "load");

        await SdkClient.GetSecretAsync(server.SocketPath, "claims_db");
        await SdkClient.GetSecretAsync(server.SocketPath, "nope");
        await SdkClient.CallAsync(server.SocketPath, """{"method": "get_secret_field", "params": {"secret": "warehouse", "field": "user"}}""");

        Assert.Equal(
            [("7", "claims_pipeline", "load", "get_secret", "claims_db", null, true), ("7", "claims_pipeline", "load", "get_secret", "nope", null, false),
             ("7", "claims_pipeline", "load", "get_secret_field", "warehouse", "user", true)],
            _audit.Reads.Select(r => (r.RunId, r.Dag, r.Task, r.Method, r.Key, r.Field, r.Found)).ToList());
    }

    [Fact]
    public async Task Registered_methods_extend_the_protocol()
    {
        var server = Start("claims_pipeline", task: "t1");
        server.RegisterMethod("whoami", (caller, _, _) => ValueTask.FromResult<object?>($"{caller.Dag}/{caller.Task}"));

        AssertResult(await SdkClient.CallAsync(server.SocketPath, """{"method": "whoami"}"""), "claims_pipeline/t1");
    }

    [Fact]
    public async Task The_socket_is_private_and_removed_at_shutdown()
    {
        var server = Start("claims_pipeline");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_sockets.Path));

        await server.DisposeAsync();
        _servers.Remove(server);

        Assert.False(File.Exists(server.SocketPath));
        await Assert.ThrowsAnyAsync<SocketException>(() => SdkClient.GetSecretAsync(server.SocketPath, "claims_db"));
    }

    [OtherUserFact]
    public async Task A_process_of_another_user_is_refused_even_when_the_socket_file_lets_it_connect()
    {
        var server = Start("claims_pipeline");
        // Loosen every permission on the way, as a careless umask or chmod would, so that only SO_PEERCRED stands between
        // another user and the secrets.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(_sockets.Path, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(server.SocketPath, (UnixFileMode)0b110_110_110);
        var client = """
            import json, socket, sys
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(sys.argv[1])
                conn.sendall(json.dumps({"method": "get_secret", "params": {"key": "claims_db"}}).encode())
                conn.shutdown(socket.SHUT_WR)
                print(conn.makefile("rb").read().decode())
            """;
        var start = new System.Diagnostics.ProcessStartInfo(OtherUserFactAttribute.Setpriv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                $"--reuid={OtherUserFactAttribute.Nobody}", $"--regid={OtherUserFactAttribute.Nobody}", "--clear-groups",
                OtherUserFactAttribute.SystemPython, "-c", client, server.SocketPath,
            },
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"the client as nobody failed to connect: {errors}");
        using var response = JsonDocument.Parse(output);
        AssertError(response.RootElement, "permission denied: the SDK socket answers only processes of its own user");
        Assert.DoesNotContain("Password=claims-pass", output, StringComparison.Ordinal);
        Assert.Empty(_audit.Reads);
    }

    [Fact]
    public void A_socket_directory_left_by_a_crashed_process_is_removed_by_the_next_one()
    {
        var abandoned = Path.Combine(_dir.Path, "pipekit-sdk-999999999-0123456789ab");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, "t0.sock"), "");

        using var fresh = SdkSocketDirectory.Create(_dir.Path);

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(_sockets.Path));
    }

    private sealed class RecordingAudit : ISecretAudit
    {
        public List<SecretRead> Reads { get; } = [];

        public Task RecordAsync(SecretRead read, CancellationToken cancellationToken)
        {
            lock (Reads) Reads.Add(read);
            return Task.CompletedTask;
        }
    }
}
