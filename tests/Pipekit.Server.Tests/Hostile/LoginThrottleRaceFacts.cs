using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// The failed-login lockout holds under a burst: attempts are counted before the password is verified, so 60 concurrent
/// guesses from one address get at most the documented ten checks; the rest are 429 without a check.
/// </summary>
public sealed partial class LoginThrottleRaceFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Sixty_concurrent_wrong_passwords_from_one_address_get_at_most_ten_checks()
    {
        // The clients are made first: the test server starts with the first one, and must start once.
        var clients = Enumerable.Range(0, 60).Select(i =>
        {
            var client = _app.Anonymous();
            client.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, $"guess-{i}");
            return client;
        }).ToList();
        using var start = new ManualResetEventSlim();
        var guesses = clients.Select(client => Task.Run(async () =>
        {
            start.Wait();
            return (await client.GetAsync("/api/modules")).StatusCode;
        })).ToList();
        start.Set();

        var statuses = await Task.WhenAll(guesses);

        var checkedCount = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.True(checkedCount <= 10, $"{checkedCount} passwords were checked before the lockout");
        Assert.True(checkedCount >= 1);
        Assert.Equal(60 - checkedCount, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Sixty_concurrent_wrong_logins_on_the_login_page_get_at_most_ten_checks()
    {
        var browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await (await browser.GetAsync("/login")).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(form).Groups[1].Value;
        using var start = new ManualResetEventSlim();
        var guesses = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await browser.PostAsync("/login", new FormUrlEncodedContent(
                [new("user", PipekitApp.User), new("password", $"guess-{i}"), new("__RequestVerificationToken", token)]))).StatusCode;
        })).ToList();
        start.Set();

        var statuses = await Task.WhenAll(guesses);

        var checkedCount = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.True(checkedCount <= 10, $"{checkedCount} passwords were checked before the lockout");
        Assert.Equal(60 - checkedCount, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Concurrent_requests_with_the_right_password_are_not_throttled_once_it_is_remembered()
    {
        var client = _app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/api/modules")));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"(?: type=\"hidden\")? value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
