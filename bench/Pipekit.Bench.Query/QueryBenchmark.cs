using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Core;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Query;
using Pipekit.Query.Catalog;

using Pipekit.Bench.Api;

namespace Pipekit.Bench.Query;

/// <summary>
/// <c>./bench.sh query</c>: a 10M-row Parquet dataset behind <c>pipekit serve</c> (its own process). Measures a
/// group-by through POST /sql against the same SQL in-process on DuckDB.NET, a 1M-row result as JSON, NDJSON and
/// Arrow, and 8 concurrent clients against 1.
/// </summary>
internal static class QueryBenchmark
{
    private const string User = "bench";
    private const string Password = "bench-password-1";
    private const string GroupBy = "SELECT category, count(*) AS n, sum(amount) AS total, avg(amount) AS mean FROM lake GROUP BY category ORDER BY category";
    private const string Wide = "SELECT * FROM lake LIMIT 1000000";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var pipekit = Environment.GetEnvironmentVariable("PIPEKIT_BIN")
            ?? throw new InvalidOperationException("PIPEKIT_BIN must name the pipekit binary; run this through ./bench.sh query");
        var data = Path.Combine(Path.GetTempPath(), "pipekit-bench-query");
        Directory.CreateDirectory(data);
        var parquet = Path.Combine(data, $"lake_{rows}.parquet");
        if (!File.Exists(parquet))
        {
            var generate = Stopwatch.StartNew();
            Generate(parquet, rows);
            Console.WriteLine($"generated {rows:N0} rows into {parquet} ({new FileInfo(parquet).Length / 1e6:0} MB) in {generate.Elapsed.TotalSeconds:0.0} s");
        }
        var home = Path.Combine(Path.GetTempPath(), "pipekit-bench-query-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(home);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(home, "pipekit.toml"), "[query]\nmax_rows = 2000000\ntimeout = \"10m\"\nmax_queued = 1000\n");
            await PrepareAsync(home, parquet);
            await using var server = ServerProcess.Start(pipekit, home, FreePort());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{server.Port}"),
                Timeout = TimeSpan.FromMinutes(10),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
            await WaitForHealthAsync(http);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; dataset {rows:N0} rows");

            // 1. Group-by: API vs in-process, median of 5 after a warm-up.
            await PostAsync(http, GroupBy, "application/json");
            var api = Median(await TimesAsync(5, () => PostAsync(http, GroupBy, "application/json")));
            var local = Median(InProcess(parquet, GroupBy, 5));
            Console.WriteLine($"group-by   POST /sql {api * 1000,8:0.0} ms   in-process DuckDB.NET {local * 1000,8:0.0} ms   API/in-process speed {local / api:0.00}x (goal >= 0.9x)");

            // 2. 1M rows (all of a smaller dataset) as JSON, NDJSON, Arrow.
            var wideRows = Math.Min(rows, 1_000_000);
            var label = wideRows == 1_000_000 ? "1M rows" : $"{wideRows:N0} rows";
            var formats = new (string Name, string MediaType)[] { ("JSON", "application/json"), ("NDJSON", "application/x-ndjson"), ("Arrow", "application/vnd.apache.arrow.stream") };
            var timings = new Dictionary<string, double>();
            foreach (var (name, media) in formats)
            {
                await PostAsync(http, "SELECT * FROM lake LIMIT 1000", media);
                var bytes = 0L;
                var time = Median(await TimesAsync(3, async () => bytes = await PostAsync(http, Wide, media)));
                timings[name] = time;
                Console.WriteLine($"{label,-10} {name,-7} {time,6:0.00} s  {bytes / 1e6,7:0.0} MB  {bytes / 1e6 / time,7:0.0} MB/s  {wideRows / time,10:N0} rows/s");
            }
            Console.WriteLine($"           Arrow is {timings["JSON"] / timings["Arrow"]:0.0}x faster than JSON in rows/s (goal >= 5x)");

            // 3. Concurrency: queries per second of a selective aggregate with 1 client, then 8.
            const string Filtered = "SELECT category, sum(amount) FROM lake WHERE id % 97 = 3 GROUP BY category";
            var one = await ThroughputAsync(http, Filtered, 1, TimeSpan.FromSeconds(seconds));
            var eight = await ThroughputAsync(http, Filtered, 8, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"clients    1: {one,6:0.00} queries/s   8: {eight,6:0.00} queries/s   ({eight / one:0.00}x; DuckDB already uses every core for one query)");
            return 0;
        }
        finally
        {
            try { Directory.Delete(home, recursive: true); } catch (IOException) { }
        }
    }

    private static void Generate(string path, long rows)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            COPY (SELECT i AS id, (i % 100)::INTEGER AS category, (hash(i) % 100000) / 100.0 AS amount,
                         'customer-' || (i % 50000) AS customer, TIMESTAMP '2024-01-01' + to_seconds(i % 31536000) AS at
                  FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
    }

    private static async Task PrepareAsync(string home, string parquet)
    {
        var environment = await PipekitEnvironment.LoadAsync(null, null, CancellationToken.None,
            new Dictionary<string, string?> { ["PIPEKIT_HOME"] = home });
        var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, CancellationToken.None);
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitQuery()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).BuildServiceProvider();
        await services.GetRequiredService<StateStore>().InitializeAsync(CancellationToken.None);
        await services.GetRequiredService<Credentials>().SetAsync(User, Password, CancellationToken.None);
        await services.GetRequiredService<DatasetEditor>().AddAsync(new DatasetInput("lake", parquet, "parquet", null), CancellationToken.None);
    }

    private static async Task<long> PostAsync(HttpClient http, string sql, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { sql }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"POST /sql answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        return total;
    }

    // The same SQL on DuckDB.NET in this process, over a view of the same file, reading every row of the result.
    private static List<double> InProcess(string parquet, string sql, int runs)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE VIEW lake AS SELECT * FROM read_parquet('{parquet}')";
            create.ExecuteNonQuery();
        }
        var times = new List<double>();
        for (var run = -1; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                for (var i = 0; i < reader.FieldCount; i++) _ = reader.GetValue(i);
            if (run >= 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static async Task<List<double>> TimesAsync(int runs, Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static async Task<double> ThroughputAsync(HttpClient http, string sql, int clients, TimeSpan duration)
    {
        await PostAsync(http, sql, "application/json");
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await PostAsync(http, sql, "application/json");
                Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("pipekit serve did not answer /health within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
