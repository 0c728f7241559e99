using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Pipekit.Core.Auth;
using Xunit;

namespace Pipekit.Server.Tests.Auth;

/// <summary>The pages' login: a session cookie for browsers, Basic still works for scripts, antiforgery on forms, the same lockout.</summary>
public sealed partial class PageSessionFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Theory]
    [InlineData("/", "/login?return=%2F")]
    [InlineData("/runs?status=error", "/login?return=%2Fruns%3Fstatus%3Derror")]
    public async Task A_page_without_credentials_sends_the_browser_to_the_login_page(string path, string login)
    {
        var response = await Browser().GetAsync(path);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(login, response.Headers.Location!.OriginalString);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Valid_basic_credentials_reach_the_pages()
    {
        var response = await _app.Client().GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Runs</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logging_in_sets_a_strict_http_only_session_cookie_that_opens_pages_but_not_the_api()
    {
        var browser = Browser();
        var login = await LogInAsync(browser, PipekitApp.Password);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.Equal("/runs", login.Headers.Location!.OriginalString);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pipekit_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task A_new_password_ends_the_session()
    {
        var browser = Browser();
        await LogInAsync(browser, PipekitApp.Password);
        await _app.Service<Credentials>().SetAsync(PipekitApp.User, "another-password-1", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var browser = Browser();
        await LogInAsync(browser, PipekitApp.Password);
        var response = await browser.PostAsync("/groups/new", new FormUrlEncodedContent([new("Name", "sneaky")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("sneaky", await (await browser.GetAsync("/groups")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Failed_logins_on_the_login_page_lock_the_address_out_like_the_api()
    {
        var browser = Browser();
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(browser, "wrong-password")).StatusCode);
        var locked = await LogInAsync(browser, PipekitApp.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("Too many failed logins", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _app.Client().GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        var browser = Browser();
        await LogInAsync(browser, PipekitApp.Password);
        var page = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(page).Groups[1].Value;
        var logout = await browser.PostAsync("/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/")).StatusCode);
    }

    private static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, string password)
    {
        var form = await (await browser.GetAsync("/login?return=%2Fruns")).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(form).Groups[1].Value;
        return await browser.PostAsync("/login", new FormUrlEncodedContent(
            [new("user", PipekitApp.User), new("password", password), new("return", "/runs"), new("__RequestVerificationToken", token)]));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"(?: type=\"hidden\")? value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
