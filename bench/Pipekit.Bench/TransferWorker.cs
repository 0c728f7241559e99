using System.Diagnostics;
using System.Globalization;
using Pipekit.Core.Drivers;
using Pipekit.Core.Transfer;

namespace Pipekit.Bench;

/// <summary>
/// One Pipekit transfer in its own process, so that its peak resident memory (VmHWM) is Pipekit's alone.
/// Prints <c>rows=… seconds=… vmhwm_kb=… jit_ms=… jit_methods=…</c> (the JIT's time on all threads, and how many
/// methods it compiled: what the precompiled image did not cover, and what tiering recompiled).
/// </summary>
internal static class TransferWorker
{
    public static async Task<int> RunAsync(string sourceUrl, string sql, string destinationUrl, string table)
    {
        var drivers = DriverRegistry.CreateDefault();
        var engine = new TransferEngine(drivers, TimeProvider.System);
        var source = new ResolvedConnection("source", drivers.Resolve(null, sourceUrl).Kind, sourceUrl, null, null, null);
        var destination = new ResolvedConnection("destination", drivers.Resolve(null, destinationUrl).Kind, destinationUrl, null, null, null);
        var clock = Stopwatch.StartNew();
        var result = await engine.TransferAsync(new TransferRequest(source, sql, destination, TableName.Parse(table)), null, CancellationToken.None);
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={result.Rows} seconds={clock.Elapsed.TotalSeconds:F3} vmhwm_kb={PeakResidentKilobytes()} jit_ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} jit_methods={System.Runtime.JitInfo.GetCompiledMethodCount()}"));
        return 0;
    }

    /// <summary>The process's peak resident set size, from the kernel's own high-water mark.</summary>
    private static long PeakResidentKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var digits = new string(line.Where(char.IsDigit).ToArray());
            return long.Parse(digits, CultureInfo.InvariantCulture);
        }
        return -1;
    }
}
