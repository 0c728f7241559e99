using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.State;

namespace Pipekit.Cli.Backups;

/// <summary><c>pipekit backup [PATH]</c>: a consistent copy of the state store, safe while the server runs.</summary>
internal sealed class BackupCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var path = new Argument<string?>("path")
        {
            Description = "A new file, or a directory to put it in (default: $PIPEKIT_HOME/backups/pipekit-<schema versions>-<time>.db, or .dump for PostgreSQL)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("backup",
            "Copy the state database (SQLite: the online backup API; PostgreSQL: pg_dump -Fc from [state] pg_bin_dir or PATH); safe while 'pipekit serve' runs") { path };
        runner.Bind(command, async (ctx, ct) =>
        {
            var result = await (await ctx.GetAsync<StateBackup>(ct)).BackupAsync(ctx.Value(path), ct);
            await ctx.Out.WriteLineAsync($"backed up  {result.Path}");
            await ctx.Out.WriteLineAsync($"size       {Size(result.Bytes)}");
            await ctx.Out.WriteLineAsync($"schema     {result.Versions}");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };
}
