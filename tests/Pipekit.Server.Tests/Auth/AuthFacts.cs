using System.Net;
using System.Text;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Auth;

public abstract class AuthFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/health")]
    public async Task Health_needs_no_credentials(string path)
    {
        var health = await _app.Anonymous().GetJsonAsync(path);
        Assert.Equal("ok", (string)health["status"]!);
    }

    [Theory]
    [InlineData("/api/modules")]
    [InlineData("/api/runs")]
    [InlineData("/api/doctor")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Everything_else_is_401_without_credentials(string path)
    {
        var response = await _app.Anonymous().GetAsync(path);
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, "wrong-password");
        await (await client.GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_user_name_is_401()
    {
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = PipekitApp.Basic("root", PipekitApp.Password);
        await (await client.GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ten_failed_logins_in_a_minute_lock_the_address_out_with_429_even_for_the_right_password()
    {
        var bad = _app.Anonymous();
        bad.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, "nope-nope");
        for (var i = 0; i < 10; i++)
            await (await bad.GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);

        var locked = await bad.GetAsync("/api/modules");
        await locked.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter);
        await (await _app.Client().GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.TooManyRequests);
        // Health stays reachable for a load balancer.
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_new_password_invalidates_the_remembered_old_one_at_once()
    {
        var client = _app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
        await _app.Service<Pipekit.Core.Auth.Credentials>().SetAsync(PipekitApp.User, "another-password-1", CancellationToken.None);
        await (await client.GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_post_without_a_json_content_type_is_refused_as_a_cross_site_form_would_be()
    {
        var client = _app.Client();
        var form = await client.PostAsync("/api/groups", new FormUrlEncodedContent([new("name", "g")]));
        await form.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var plain = await client.PostAsync("/api/groups", new StringContent("{\"name\":\"g\"}", Encoding.UTF8, "text/plain"));
        await plain.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var none = await client.PostAsync("/api/groups", null);
        await none.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Empty((await client.GetJsonAsync("/api/groups"))["items"]!.AsArray());

        var json = await client.PostAsync("/api/groups", new StringContent("{\"name\":\"g\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, json.StatusCode);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var big = new string('x', 1024 * 1024 + 10);
        var response = await _app.Client().PostAsync("/api/groups", new { name = big });
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Metrics_can_be_made_public()
    {
        using var app = new PipekitApp(new ServerOptions { MetricsPublic = true });
        var response = await app.Anonymous().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await (await app.Anonymous().GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_a_password_set_the_loopback_only_server_lets_requests_in()
    {
        using var app = new PipekitApp(setPassword: false);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/api/modules")).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    [InlineData("::")]
    public async Task The_server_refuses_a_non_loopback_address_while_no_password_is_set(string host)
    {
        using var home = new Pipekit.Testing.TempDirectory();
        var environment = new PipekitEnvironment(new PipekitHome(home.Path), new PipekitConfig(), home.File("secrets.toml"));
        var secrets = await Pipekit.Core.Secrets.SecretStore.LoadOrEmptyAsync(environment.SecretsPath, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ServerStartException>(() =>
            PipekitServer.RunAsync(environment, secrets, new ServerOptions { Host = host, Port = Pipekit.Testing.FreePort.Next() }, CancellationToken.None));
        Assert.Contains("no password set; run 'pipekit set-password USER' first", ex.Message);
    }

    public sealed class OnSqlite() : AuthFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : AuthFacts(TestStateStore.Postgres(postgres));
}
