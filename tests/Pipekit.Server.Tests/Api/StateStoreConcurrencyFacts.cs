using System.Net;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// Requests beyond the state store's concurrency limit wait their turn instead of failing, and routes that stay
/// open or wait on another database do not take a turn at all.
/// </summary>
public sealed class StateStoreConcurrencyFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Many_more_requests_than_permits_all_succeed()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        await client.CreateOrdersModuleAsync(source, dest);

        var responses = await Task.WhenAll(Enumerable.Range(0, StateStoreConcurrencyPermits * 8)
            .Select(i => client.GetAsync(i % 2 == 0 ? "/api/modules" : "/api/runs?limit=5")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Open_run_streams_beyond_the_limit_do_not_hold_up_other_requests()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var slow = await client.CreateSlowModuleAsync(source, dest, "slow");
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{slow}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(runId, s => s == "running");

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < StateStoreConcurrencyPermits + 2; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{runId}/stream");
                request.Headers.Accept.ParseAdd("text/event-stream");
                var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                streams.Add(response);
            }

            // Every stream is still open; a listing still gets its turn.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules", guard.Token)).StatusCode);
        }
        finally
        {
            await client.PostJsonAsync($"/api/modules/{slow}/cancel", null, HttpStatusCode.Accepted);
            foreach (var stream in streams) stream.Dispose();
        }
        Assert.Equal("cancelled", (string)(await client.WaitForRunAsync(runId))["status"]!);
    }

    private static int StateStoreConcurrencyPermits => Pipekit.Server.Api.StateStoreConcurrency.Permits;
}
