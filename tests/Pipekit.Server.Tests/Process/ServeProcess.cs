using System.Diagnostics;
using System.Net;

namespace Pipekit.Server.Tests.Process;

/// <summary><c>pipekit serve</c> as a real child process (the built <c>pipekit.dll</c>) with its own PIPEKIT_HOME.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private ServeProcess(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Client.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, PipekitApp.Password);
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public static ProcessStartInfo Command(string home, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipekit.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PIPEKIT_HOME"] = home;
        psi.Environment.Remove("PIPEKIT_CONFIG");
        psi.Environment.Remove("PIPEKIT_SECRETS");
        return psi;
    }

    /// <summary>Runs a short CLI command to completion.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string home, string? stdin, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(Command(home, args))!;
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(guard.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>pipekit serve</c> on a free port and waits until <c>/health</c> answers.</summary>
    public static async Task<ServeProcess> StartAsync(string home)
    {
        var port = Pipekit.Testing.FreePort.Next();
        var process = System.Diagnostics.Process.Start(Command(home, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var serve = new ServeProcess(process, port);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"pipekit serve exited with {process.ExitCode} before it answered");
            try
            {
                if ((await serve.Client.GetAsync("/health", guard.Token)).StatusCode == HttpStatusCode.OK) return serve;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, guard.Token);
        }
    }

    public async Task KillHardAsync()
    {
        _process.Kill(); // SIGKILL: no cleanup at all
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(guard.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
