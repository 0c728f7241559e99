using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Bench.Api;

/// <summary>
/// Closed-loop load: each client sends its next request as soon as the previous answer has been read, cycling
/// through the routes; <c>{id}</c> in a route becomes a random run id. Latency is measured per request, client side.
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
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                await response.Content.ReadAsByteArrayAsync();
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            local[route].Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
        }
        return local;
    }
}

/// <summary>The latencies of one route, in milliseconds, and how many requests failed.</summary>
internal sealed class RouteLatencies
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public long Errors { get; private set; }

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public void Record(double milliseconds, bool ok)
    {
        _values.Add(milliseconds);
        if (!ok) Errors++;
    }

    public void Add(RouteLatencies other)
    {
        _values.AddRange(other._values);
        Errors += other.Errors;
    }

    public double Percentile(double p)
    {
        if (_values.Count == 0) return double.NaN;
        var sorted = _values.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
