using System.CommandLine;
using System.Text.Json;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;

namespace Pipekit.Cli.Diagnostics;

/// <summary><c>pipekit doctor</c>: one line per check (ok/warn/fail); exits 1 when any check fails.</summary>
internal sealed class DoctorCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var command = new Command("doctor", "Check the configuration, data directory, state schema, secrets file and every connection") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var results = new List<DoctorResult>();
            try
            {
                await ctx.EnvironmentAsync(ct);
            }
            catch (ConfigException ex)
            {
                results.Add(new DoctorResult("config", DoctorStatus.Fail, ex.Message));
            }
            if (results.Count == 0)
                results.AddRange(await (await ctx.GetAsync<Doctor>(ct)).RunAsync(ct));

            if (ctx.Value(json))
                await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new { check = r.Check, status = r.Status.ToString().ToLowerInvariant(), message = r.Message })));
            else
                foreach (var r in results)
                    await ctx.Out.WriteLineAsync($"{Label(r.Status),-5} {r.Check,-16} {r.Message}");
            return results.Any(r => r.Status == DoctorStatus.Fail) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warn => "warn",
        _ => "FAIL",
    };
}
