using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Secrets;
using Pipekit.Server;

namespace Pipekit.Cli.Server;

/// <summary>
/// <c>pipekit serve [--host] [--port] [--server-timing]</c>: the REST API, the run queue and the cron scheduler in this process,
/// until SIGINT/SIGTERM (in-flight runs are cancelled and unlocked; a second signal exits at once).
/// </summary>
internal sealed class ServeCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default: [server].host, 127.0.0.1)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default: [server].port, 8080)" };
        var timing = new Option<bool>("--server-timing")
        {
            Description = "Add a Server-Timing header (app;dur=ms) with the server's own time to every response, for measurements (./bench.sh api)",
        };
        var command = new Command("serve", "Serve the REST API with the run queue and the cron scheduler") { host, port, timing };
        runner.Bind(command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, ct);
            var given = ctx.Value(port);
            if (given is < 1 or > 65535) throw new UsageException($"--port must be between 1 and 65535, got {given}");
            var server = environment.Config.Server with
            {
                Host = string.IsNullOrWhiteSpace(ctx.Value(host)) ? environment.Config.Server.Host : ctx.Value(host)!.Trim(),
                Port = given ?? environment.Config.Server.Port,
                ServerTiming = ctx.Value(timing) || environment.Config.Server.ServerTiming,
            };
            try
            {
                await PipekitServer.RunAsync(environment, secrets, server, ct);
            }
            catch (PortInUseException ex)
            {
                throw new UsageException(ex.Message);
            }
            catch (ServerStartException ex)
            {
                throw new CommandFailedException(ex.Message);
            }
            catch (IOException ex) when (ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandFailedException($"cannot listen on {server.Host}:{server.Port}: {ex.Message}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
