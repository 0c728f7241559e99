using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Sync.Files;

namespace Pipekit.Cli.Project;

/// <summary><c>pipekit export [-o FILE]</c>: the whole Sync state as one project file that <c>pipekit apply</c> reads back unchanged.</summary>
internal sealed class ExportCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (atomically) instead of standard output" };
        var command = new Command("export",
            "Write every connection, module, group and group schedule as a project file; 'pipekit apply -f' of it changes nothing") { output };
        runner.Bind(command, async (ctx, ct) =>
        {
            var text = await (await ctx.ReadyAsync<ProjectExporter>(ct)).ExportAsync(ct);
            if (ctx.Value(output) is { } path)
            {
                // Written beside the target and renamed over it: a reader sees the old file or the new one, never half of one.
                var full = Path.GetFullPath(path);
                var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                await File.WriteAllTextAsync(temp, text, ct);
                File.Move(temp, full, overwrite: true);
                await ctx.Error.WriteLineAsync($"wrote {path}");
            }
            else await ctx.Out.WriteAsync(text);
            return ExitCodes.Success;
        });
        return command;
    }
}
