using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Bench.Query;

/// <summary><c>pipekit serve</c> as its own process on a home the benchmark prepared; stopped with SIGTERM.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _drain;

    private ServeProcess(Process process, string logPath, int port)
    {
        _process = process;
        Port = port;
        _drain = DrainAsync(process, logPath);
    }

    public int Port { get; }

    public static ServeProcess Start(string pipekit, string home, int port)
    {
        var start = new ProcessStartInfo(pipekit) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "serve", "--port", port.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        start.Environment["PIPEKIT_HOME"] = home;
        start.Environment.Remove("PIPEKIT_CONFIG");
        start.Environment.Remove("PIPEKIT_SECRETS");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {pipekit}");
        return new ServeProcess(process, Path.Combine(home, "serve.log"), port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _drain;
        _process.Dispose();
    }

    private static async Task DrainAsync(Process process, string logPath)
    {
        await using var log = new StreamWriter(logPath);
        async Task Copy(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
                lock (log) log.WriteLine(line);
        }
        await Task.WhenAll(Copy(process.StandardOutput), Copy(process.StandardError));
    }
}
