using System.CommandLine;
using System.Security.Cryptography;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Server;

namespace Pipekit.Cli.Demo;

/// <summary>
/// <c>pipekit demo</c>: a guided tour in a data directory of its own (<c>--home</c>, else <c>PIPEKIT_HOME</c>, else
/// <c>~/.pipekit-demo</c>) that it marks as its own, and never resets a directory without its mark; it ends by serving the API over the demo's data.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    private const int MaxPortTries = 20;

    private static async Task PrintServingAsync(TextWriter o, string url, int asked, int port, string password)
    {
        await o.WriteLineAsync();
        if (port != asked) await o.WriteLineAsync($"   (port {asked} is taken; serving on {port})");
        await o.WriteLineAsync($"-- 12. serving the API on {url}/  (user: demo, password: {password})");
        await o.WriteLineAsync($"   curl -u demo:{password} {url}/api/modules");
        await o.WriteLineAsync($"   curl -u demo:{password} -X POST -H 'Content-Type: application/json' {url}/api/groups/1/run");
        await o.WriteLineAsync($"   curl -u demo:{password} {url}/api/runs?limit=5");
        await o.WriteLineAsync($"   curl -u demo:{password} {url}/api/pipeline-runs?limit=5");
        await o.WriteLineAsync($"   curl -u demo:{password} -H 'Content-Type: application/json' -d '{{\"sql\": \"{DemoTour.DemoQuery}\"}}' {url}/sql");
        await o.WriteLineAsync($"   curl -u demo:{password} {url}/v1/jobs?limit=5");
        await o.WriteLineAsync("   Ctrl-C stops the server.");
    }

    public Command Build(CommandRunner runner)
    {
        var home = new Option<string?>("--home") { Description = "Data directory for the demo, reset on every run (default: $PIPEKIT_HOME, else ~/.pipekit-demo)" };
        var port = new Option<int>("--port") { Description = "Port the API is served on at the end; the next free one when it is taken", DefaultValueFactory = _ => 8080 };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after the tour instead of serving the API" };
        var command = new Command("demo", "Set up a demo installation (SQLite shop → DuckDB warehouse), run it, then serve the API") { home, port, noServe };
        runner.Bind(command, async (ctx, ct) =>
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("PIPEKIT_HOME");
            var root = ctx.Value(home) ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment)
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pipekit-demo");
            var tour = new DemoTour(ctx.Out, new PipekitHome(Path.GetFullPath(root)));
            var ok = await tour.RunAsync(ct);
            if (!ok) return ExitCodes.Failure;
            if (ctx.Value(noServe)) return ExitCodes.Success;

            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
            await tour.SetWebPasswordAsync("demo", password, ct);
            var first = ctx.Value(port);
            if (first is < 1 or > 65535) throw new UsageException($"--port must be between 1 and 65535, got {first}");
            var secrets = await tour.LoadSecretsAsync(ct);
            for (var candidate = first; ; candidate++)
            {
                var server = new ServerOptions { Host = "127.0.0.1", Port = candidate };
                try
                {
                    // The URL is printed only once the port is bound: a user who copies it gets an answer.
                    await PipekitServer.RunAsync(tour.Environment, secrets, server, (url, _) => PrintServingAsync(ctx.Out, url, first, candidate, password), ct);
                    return ExitCodes.Success;
                }
                catch (PortInUseException) when (candidate < Math.Min(first + MaxPortTries, 65535))
                {
                }
                catch (PortInUseException)
                {
                    throw new CommandFailedException($"ports {first} to {candidate} are taken; run './pipekit demo --port N' with a free port");
                }
            }
        });
        return command;
    }
}
