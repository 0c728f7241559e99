using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Bench.Api;

/// <summary>
/// Closed-loop load: each client sends its next request as soon as the previous answer has been read, cycling
/// through the routes; <c>{id}</c> in a route becomes a random run id. Latency is measured per request client side, and
/// the server's own time is read from each answer's <c>Server-Timing: app;dur=…</c> header (<c>pipekit serve --server-timing</c>).
/// </summary>
internal sealed class LoadGenerator(HttpClient http, IReadOnlyList<string> routes, int clients)
{
    public async Task<Dictionary<string, RouteLatencies>> RunAsync(TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(() => ClientAsync(worker, end))).ToList();
        var results = routes.ToDictionary(r => r, _ => new RouteLatencies());
        foreach (var local in await Task.WhenAll(workers))
            foreach (var (route, r) in local)
                results[route].Add(r);
        return results;
    }

    private async Task<Dictionary<string, RouteLatencies>> ClientAsync(int worker, long end)
    {
        var random = new Random(worker);
        var local = routes.ToDictionary(r => r, _ => new RouteLatencies());
        var i = worker;
        while (Stopwatch.GetTimestamp() < end)
        {
            var route = routes[i++ % routes.Count];
            var path = route.Replace("{id}", (1 + random.Next(BenchStore.Runs)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var started = Stopwatch.GetTimestamp();
            var ok = false;
            double? server = null;
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                await response.Content.ReadAsByteArrayAsync();
                ok = response.IsSuccessStatusCode;
                server = ServerMilliseconds(response);
            }
            catch (HttpRequestException)
            {
            }
            local[route].Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, server, ok);
        }
        return local;
    }

    // "app;dur=12.345" → 12.345; null when the header is missing (a server without --server-timing).
    private static double? ServerMilliseconds(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return null;
        foreach (var value in values)
        {
            var at = value.IndexOf("dur=", StringComparison.Ordinal);
            if (at < 0) continue;
            var end = value.IndexOfAny([',', ';'], at);
            var number = end < 0 ? value[(at + 4)..] : value[(at + 4)..end];
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return ms;
        }
        return null;
    }
}

/// <summary>
/// The latencies of one route in milliseconds, as the client saw them and as the server measured them itself, and how
/// many requests failed.
/// </summary>
internal sealed class RouteLatencies
{
    private readonly List<double> _values = [];
    private readonly List<double> _server = [];

    public int Count => _values.Count;

    public long Errors { get; private set; }

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>How many answers carried the server's own time.</summary>
    public int ServerCount => _server.Count;

    public void Record(double milliseconds, double? serverMilliseconds, bool ok)
    {
        _values.Add(milliseconds);
        if (serverMilliseconds is { } server) _server.Add(server);
        if (!ok) Errors++;
    }

    public void Add(RouteLatencies other)
    {
        _values.AddRange(other._values);
        _server.AddRange(other._server);
        Errors += other.Errors;
    }

    /// <summary>The client-side latency at percentile <paramref name="p"/> (0.5, 0.95, 0.99).</summary>
    public double Percentile(double p) => Of(_values, p);

    /// <summary>The server's own time at percentile <paramref name="p"/>; NaN when no answer carried it.</summary>
    public double ServerPercentile(double p) => Of(_server, p);

    private static double Of(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
