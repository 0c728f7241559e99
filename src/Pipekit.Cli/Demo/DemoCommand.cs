using System.CommandLine;
using System.Security.Cryptography;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Server;

namespace Pipekit.Cli.Demo;

/// <summary>
/// <c>pipekit demo</c>: a guided tour in a data directory of its own (default <c>~/.pipekit-demo</c>), so it
/// never touches a real installation; it ends by serving the API over the demo's data.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var home = new Option<string?>("--home") { Description = "Data directory for the demo, reset on every run (default: ~/.pipekit-demo)" };
        var port = new Option<int>("--port") { Description = "Port the API is served on at the end", DefaultValueFactory = _ => 8080 };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after the tour instead of serving the API" };
        var command = new Command("demo", "Set up a demo installation (SQLite shop → DuckDB warehouse), run it, then serve the API") { home, port, noServe };
        runner.Bind(command, async (ctx, ct) =>
        {
            var root = ctx.Value(home) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pipekit-demo");
            var tour = new DemoTour(ctx.Out, new PipekitHome(root));
            var ok = await tour.RunAsync(ct);
            if (!ok) return ExitCodes.Failure;
            if (ctx.Value(noServe)) return ExitCodes.Success;

            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
            await tour.SetWebPasswordAsync("demo", password, ct);
            var server = new ServerOptions { Host = "127.0.0.1", Port = ctx.Value(port) };
            await ctx.Out.WriteLineAsync();
            await ctx.Out.WriteLineAsync($"-- 12. serving the API on http://{server.Host}:{server.Port}/  (user: demo, password: {password})");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} http://{server.Host}:{server.Port}/api/modules");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} -X POST -H 'Content-Type: application/json' http://{server.Host}:{server.Port}/api/groups/1/run");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} http://{server.Host}:{server.Port}/api/runs?limit=5");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} http://{server.Host}:{server.Port}/api/pipeline-runs?limit=5");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} -H 'Content-Type: application/json' -d '{{\"sql\": \"{DemoTour.DemoQuery}\"}}' http://{server.Host}:{server.Port}/sql");
            await ctx.Out.WriteLineAsync($"   curl -u demo:{password} http://{server.Host}:{server.Port}/v1/jobs?limit=5");
            await ctx.Out.WriteLineAsync("   Ctrl-C stops the server.");
            try
            {
                await PipekitServer.RunAsync(tour.Environment, await tour.LoadSecretsAsync(ct), server, ct);
            }
            catch (IOException ex) when (ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandFailedException($"port {server.Port} is taken; run './pipekit demo --port 8099' to serve elsewhere");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
