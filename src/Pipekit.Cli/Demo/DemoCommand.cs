using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;

namespace Pipekit.Cli.Demo;

/// <summary>
/// <c>pipekit demo</c>: a guided tour in a data directory of its own (default <c>~/.pipekit-demo</c>), so it
/// never touches a real installation.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var home = new Option<string?>("--home") { Description = "Data directory for the demo, reset on every run (default: ~/.pipekit-demo)" };
        var command = new Command("demo", "Set up a demo installation (SQLite shop → DuckDB warehouse) and show what Pipekit does") { home };
        runner.Bind(command, async (ctx, ct) =>
        {
            var root = ctx.Value(home) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pipekit-demo");
            var ok = await new DemoTour(ctx.Out, new PipekitHome(root)).RunAsync(ct);
            return ok ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
