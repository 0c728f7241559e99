using System.Diagnostics;

namespace Pipekit.Cli.Tests;

/// <summary>Runs the built <c>pipekit</c> CLI as a real child process with its own PIPEKIT_HOME.</summary>
internal sealed record PipekitProcess(string Home)
{
    public Dictionary<string, string> Environment { get; } = new();

    public async Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipekit.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PIPEKIT_HOME"] = Home;
        psi.Environment.Remove("PIPEKIT_CONFIG");
        psi.Environment.Remove("PIPEKIT_SECRETS");
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    public Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => RunWithInputAsync(null, args);
}
