using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// Hostile headers on a write: a body that is not declared as JSON (or declared as JSON in another encoding), a
/// compressed body the server does not unpack, a chunked body past the limit, and broken credentials. Each gets a 4xx
/// problem and the state database is not written.
/// </summary>
/// <remarks>
/// Header floods and oversized header blocks are Kestrel's to refuse (its limits hold before any Pipekit code runs);
/// the in-memory test server has no such limits, so they are not exercised here.
/// </remarks>
public sealed class HostileHeaderFacts(HostileRequestApp fixture) : IClassFixture<HostileRequestApp>
{
    private const string Update = """{"notes": "changed by a hostile request"}""";

    public static TheoryData<string, string?, int> ContentTypes => new()
    {
        { "text/plain", Update, 415 },
        { "application/x-www-form-urlencoded", "notes=changed", 415 },
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\nchanged\r\n--x--", 415 },
        { "application/jsonx", Update, 415 },
        { "application/json-patch+json", """[{"op": "replace", "path": "/notes", "value": "changed"}]""", 415 },
        { "", Update, 415 },
    };

    [Theory]
    [MemberData(nameof(ContentTypes))]
    public async Task A_body_not_declared_as_json_is_refused(string contentType, string? body, int status)
    {
        var before = await fixture.StateVersionAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
        if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await fixture.Client.PostAsync(fixture.Fill("/api/modules/{module}"), content);
        await HostileBodyFacts.ProblemAsync(response, status);
        Assert.Equal(before, await fixture.StateVersionAsync());
    }

    [Fact]
    public async Task Json_in_utf16_is_refused_rather_than_guessed()
    {
        var before = await fixture.StateVersionAsync();
        using var content = new ByteArrayContent(Encoding.Unicode.GetBytes(Update));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");
        using var response = await fixture.Client.PostAsync(fixture.Fill("/api/modules/{module}"), content);
        await HostileBodyFacts.ProblemAsync(response, 400);
        Assert.Equal(before, await fixture.StateVersionAsync());
    }

    [Fact]
    public async Task A_compressed_body_is_not_unpacked_and_is_refused()
    {
        var before = await fixture.StateVersionAsync();
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(Update));
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await fixture.Client.PostAsync(fixture.Fill("/api/modules/{module}"), content);
        await HostileBodyFacts.ProblemAsync(response, 400);
        Assert.Equal(before, await fixture.StateVersionAsync());
    }

    [Fact]
    public async Task A_chunked_body_past_the_limit_is_413()
    {
        var before = await fixture.StateVersionAsync();
        var huge = Encoding.UTF8.GetBytes("{\"notes\": \"" + new string('x', 2 * 1024 * 1024) + "\"}");
        using var content = new StreamContent(new NoLengthStream(huge));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Fill("/api/modules/{module}")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await fixture.Client.SendAsync(request);
        await HostileBodyFacts.ProblemAsync(response, 413);
        Assert.Equal(before, await fixture.StateVersionAsync());
    }

    public static TheoryData<string> BrokenCredentials => new()
    {
        "Basic !!!not-base64!!!",
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon-here")),
        "Bearer abc.def.ghi",
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PipekitApp.User + ":" + new string('p', 64 * 1024))),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin' OR '1'='1:x")),
    };

    [Theory]
    [MemberData(nameof(BrokenCredentials))]
    public async Task Broken_credentials_get_401_and_change_nothing(string authorization)
    {
        var before = await fixture.StateVersionAsync();
        using var client = fixture.App.Anonymous();
        using var content = new StringContent(Update, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Fill("/api/modules/{module}")) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        await HostileBodyFacts.ProblemAsync(response, 401);
        Assert.Equal(before, await fixture.StateVersionAsync());
    }

    /// <summary>A stream that does not tell its length, so the client sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
