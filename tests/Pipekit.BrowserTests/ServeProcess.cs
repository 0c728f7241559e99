using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Pipekit.BrowserTests;

/// <summary><c>pipekit serve</c> as a real child process (the built <c>pipekit.dll</c>) with its own PIPEKIT_HOME and a password.</summary>
internal sealed class ServeProcess : IDisposable
{
    public const string User = "admin";
    public const string Password = "browser-test-pw";

    private readonly Process _process;

    private ServeProcess(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public static async Task<ServeProcess> StartAsync(string home)
    {
        await RunAsync(home, Password + "\n" + Password + "\n", "set-password", User);
        var port = Testing.FreePort.Next();
        var process = Process.Start(Command(home, "serve", "--port", port.ToString(CultureInfo.InvariantCulture)))!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var serve = new ServeProcess(process, port);
        using var client = new HttpClient();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"pipekit serve exited with {process.ExitCode} before it answered");
            try
            {
                if ((await client.GetAsync(serve.BaseUrl + "/health", guard.Token)).StatusCode == HttpStatusCode.OK) return serve;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, guard.Token);
        }
    }

    private static ProcessStartInfo Command(string home, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipekit.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PIPEKIT_HOME"] = home;
        psi.Environment.Remove("PIPEKIT_CONFIG");
        psi.Environment.Remove("PIPEKIT_SECRETS");
        return psi;
    }

    private static async Task RunAsync(string home, string stdin, params string[] args)
    {
        using var p = Process.Start(Command(home, args))!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(guard.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"pipekit {string.Join(' ', args)} failed: {await output}{await error}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
