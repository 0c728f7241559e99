using System.Diagnostics;
using System.Net.Sockets;
using Pipekit.Testing;

namespace Pipekit.Query.Tests;

/// <summary>
/// s3rver (npm) on a free loopback port with a throwaway directory and the bucket <c>lake</c>. It is installed by
/// .ci/run into .ci/s3rver (or found through PIPEKIT_S3RVER); when node or s3rver is absent, the S3 tests are skipped
/// with <see cref="UnavailableReason"/>.
/// </summary>
public sealed class S3rverFixture : IDisposable
{
    public const string Bucket = "lake";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process? _process;
    private readonly TempDirectory _data = new();

    public S3rverFixture()
    {
        if (UnavailableReason is not null) return;
        Port = FreePort.Next();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Script!, "-d", _data.Path, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--silent", "--configure-bucket", Bucket })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start s3rver");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
        // The bucket is configured asynchronously after the port opens.
        Thread.Sleep(300);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The s3rver entry script, or null.</summary>
    public static string? Script { get; } = FindScript();

    /// <summary>Why the S3 tests cannot run here, or null when they can.</summary>
    public static string? UnavailableReason { get; } = Script is null
        ? "s3rver is not installed: run .ci/run (npm install --prefix .ci/s3rver s3rver@3.7.1) or set PIPEKIT_S3RVER to its bin/s3rver.js"
        : !HasNode() ? "node is not on PATH; s3rver needs it" : null;

    public void Dispose()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
        _process?.Dispose();
        _data.Dispose();
    }

    private static string? FindScript()
    {
        if (Environment.GetEnvironmentVariable("PIPEKIT_S3RVER") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".ci", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static bool HasNode()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            node!.WaitForExit(10000);
            return node.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
