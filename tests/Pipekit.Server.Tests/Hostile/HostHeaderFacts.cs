using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// DNS rebinding: a page on attacker.example whose name is made to resolve to 127.0.0.1 reaches a server without a
/// password, but its requests carry <c>Host: attacker.example</c>. Without a password only loopback names are served;
/// <c>[server] allowed_hosts</c> names the others a server answers to.
/// </summary>
public sealed class HostHeaderFacts
{
    private static HttpClient ClientFor(PipekitApp app, string host, bool credentials)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{host}/") });
        if (credentials) client.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, PipekitApp.Password);
        return client;
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost.attacker.example")]
    [InlineData("10.0.0.5:8080")]
    public async Task Without_a_password_a_foreign_host_name_is_refused(string host)
    {
        using var app = new PipekitApp(setPassword: false);

        var response = await ClientFor(app, host, credentials: false).GetAsync("/api/modules");

        var problem = await response.ProblemAsync(HttpStatusCode.MisdirectedRequest);
        Assert.Contains("allowed_hosts", (string)problem["detail"]!);
        var page = await ClientFor(app, host, credentials: false).GetAsync("/");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, page.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("[::1]")]
    [InlineData("[::1]:8080")]
    public async Task Without_a_password_loopback_names_are_served(string host)
    {
        using var app = new PipekitApp(setPassword: false);

        var response = await ClientFor(app, host, credentials: false).GetAsync("/api/modules");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_allowed_hosts_only_those_names_and_loopback_are_served_even_with_a_password()
    {
        using var app = new PipekitApp(server: new ServerOptions { AllowedHosts = ["pipekit.example.com", "*.corp.example"] });

        Assert.Equal(HttpStatusCode.OK, (await ClientFor(app, "pipekit.example.com:8080", credentials: true).GetAsync("/api/modules")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientFor(app, "etl.corp.example", credentials: true).GetAsync("/api/modules")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientFor(app, "localhost", credentials: true).GetAsync("/api/modules")).StatusCode);
        await (await ClientFor(app, "attacker.example", credentials: true).GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.MisdirectedRequest);
        await (await ClientFor(app, "corp.example.attacker.example", credentials: true).GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.MisdirectedRequest);
    }

    [Fact]
    public async Task With_a_password_and_no_allowed_hosts_any_name_is_served_behind_authentication()
    {
        using var app = new PipekitApp();

        Assert.Equal(HttpStatusCode.OK, (await ClientFor(app, "pipekit.internal:8080", credentials: true).GetAsync("/api/modules")).StatusCode);
        await (await ClientFor(app, "pipekit.internal", credentials: false).GetAsync("/api/modules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_checks_are_refused_to_foreign_names_too_without_a_password()
    {
        using var app = new PipekitApp(setPassword: false);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await ClientFor(app, "attacker.example", credentials: false).GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientFor(app, "localhost", credentials: false).GetAsync("/health")).StatusCode);
    }
}
