using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pipekit.Core.Drivers;

namespace Pipekit.Bench;

/// <summary>
/// One half of a PostgreSQL → PostgreSQL transfer in its own process, opened the way Pipekit opens it (the driver's
/// connection string: buffer sizes, GSS off), to split a transfer's time: the COPY export alone into a null sink, or
/// the COPY import alone from a file of binary COPY data. Prints <c>bytes=… seconds=…</c>.
/// </summary>
internal static class CopyPhaseWorker
{
    private const int ChunkSize = 64 * 1024;

    public static async Task<int> CopyOutAsync(string url, string sql)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await OpenAsync(url);
        await using var input = await connection.BeginRawBinaryCopyAsync($"COPY ({sql}) TO STDOUT (FORMAT BINARY)");
        var buffer = new byte[ChunkSize];
        long bytes = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, CancellationToken.None)) > 0) bytes += read;
        return Report(bytes, clock);
    }

    public static async Task<int> CopyInAsync(string url, string file, string table)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await OpenAsync(url);
        await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: false);
        long bytes = 0;
        await using (var output = await connection.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)"))
        {
            var buffer = new byte[ChunkSize];
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                bytes += read;
            }
        }
        return Report(bytes, clock);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string url)
    {
        var drivers = DriverRegistry.CreateDefault();
        var resolved = new ResolvedConnection("bench", "postgres", url, null, null, null);
        return (NpgsqlConnection)await drivers.Resolve(null, url).OpenAsync(resolved, CancellationToken.None);
    }

    private static int Report(long bytes, Stopwatch clock)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes={bytes} seconds={clock.Elapsed.TotalSeconds:F3}"));
        return 0;
    }
}
