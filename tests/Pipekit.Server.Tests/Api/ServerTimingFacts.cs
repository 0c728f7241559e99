using System.Globalization;
using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary><c>pipekit serve --server-timing</c> adds the server's own time to each answer, and only when asked.</summary>
public sealed class ServerTimingFacts
{
    [Fact]
    public async Task With_the_flag_pages_and_api_answers_carry_their_server_time_and_whole_bodies()
    {
        using var app = new PipekitApp(server: new ServerOptions { ServerTiming = true });
        var client = app.Client();
        foreach (var path in new[] { "/", "/api/modules", "/api/runs?limit=5", "/api/runs/999999" })
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            var header = Assert.Single(response.Headers.GetValues("Server-Timing"));
            Assert.StartsWith("app;dur=", header, StringComparison.Ordinal);
            Assert.True(double.Parse(header["app;dur=".Length..], CultureInfo.InvariantCulture) >= 0, header);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task Without_the_flag_no_answer_carries_it()
    {
        using var app = new PipekitApp();
        using var response = await app.Client().GetAsync("/api/modules");
        Assert.False(response.Headers.Contains("Server-Timing"));
    }
}
