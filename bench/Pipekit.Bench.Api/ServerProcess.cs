using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Bench.Api;

/// <summary>
/// <c>pipekit serve</c> as its own process, started the way a user starts it, so that the server's CPU time, heap
/// and garbage collections are its own and not shared with the load generator. The query benchmark compiles this
/// file too (linked in its project).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _drain;

    private ServerProcess(Process process, string logPath, int port)
    {
        _process = process;
        Port = port;
        LogPath = logPath;
        _drain = DrainAsync(process, logPath);
    }

    public int Port { get; }

    public string LogPath { get; }

    /// <summary>CPU time (user + system) the server has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts <c>pipekit serve</c> on <paramref name="port"/>; <paramref name="extra"/> are further serve options.</summary>
    public static ServerProcess Start(string pipekit, string home, int port, params string[] extra)
    {
        var start = new ProcessStartInfo(pipekit) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "serve", "--port", port.ToString(CultureInfo.InvariantCulture) }.Concat(extra)) start.ArgumentList.Add(arg);
        start.Environment["PIPEKIT_HOME"] = home;
        start.Environment.Remove("PIPEKIT_CONFIG");
        start.Environment.Remove("PIPEKIT_SECRETS");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {pipekit}");
        return new ServerProcess(process, Path.Combine(home, "serve.log"), port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, as a service manager would stop it; then wait for the graceful shutdown.
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
