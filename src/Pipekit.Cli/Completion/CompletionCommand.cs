using System.CommandLine;
using Pipekit.Cli.Hosting;

namespace Pipekit.Cli.Completion;

/// <summary>
/// <c>pipekit completion bash|zsh|fish</c> prints a script that makes the shell complete pipekit's commands and options.
/// The script asks pipekit itself (<c>pipekit __complete POSITION LINE</c>, answered by System.CommandLine's completion
/// model over the same command tree), so completions never drift from the commands.
/// </summary>
internal sealed class CompletionCommand : ICliCommand
{
    /// <summary>The hidden entry point the scripts call.</summary>
    public const string Hook = "__complete";

    public Command Build(CommandRunner runner)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script: eval \"$(pipekit completion bash)\", or save it where your shell loads completions")
        {
            shell,
        };
        runner.Bind(command, async (ctx, _) =>
        {
            await ctx.Out.WriteAsync(Script(ctx.Value(shell)));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Script(string shell) => shell switch
    {
        "bash" => """
            # pipekit completion for bash: eval "$(pipekit completion bash)" in ~/.bashrc
            _pipekit_complete() {
                local IFS=$'\n'
                local line="${COMP_LINE:0:$COMP_POINT}"
                COMPREPLY=( $(pipekit __complete "${#line}" "$line" 2>/dev/null) )
            }
            complete -o default -F _pipekit_complete pipekit

            """,
        "zsh" => """
            #compdef pipekit
            # pipekit completion for zsh: eval "$(pipekit completion zsh)" in ~/.zshrc (after compinit)
            _pipekit() {
                local line="${(j: :)words[1,CURRENT]}"
                local -a completions
                completions=("${(@f)$(pipekit __complete "${#line}" "$line" 2>/dev/null)}")
                compadd -- $completions
            }
            compdef _pipekit pipekit

            """,
        "fish" => """
            # pipekit completion for fish: pipekit completion fish > ~/.config/fish/completions/pipekit.fish
            complete -c pipekit -f -a '(set -l line (commandline -cp); pipekit __complete (string length -- "$line") "$line" 2>/dev/null)'

            """,
        _ => throw new UsageException($"'{shell}' is not a supported shell; use bash, zsh or fish"),
    };

    /// <summary>
    /// Answers a script: the completions at <paramref name="position"/> of <paramref name="line"/>, one per line. The
    /// line starts with the program's name, which the parser does not take.
    /// </summary>
    internal static async Task<int> CompleteAsync(RootCommand root, string position, string line, TextWriter output)
    {
        if (!int.TryParse(position, out var cursor)) return ExitCodes.Usage;
        cursor = Math.Clamp(cursor, 0, line.Length);
        var text = line[..cursor];
        var start = text.TrimStart();
        var space = start.IndexOfAny([' ', '\t']);
        var rest = space < 0 ? "" : start[(space + 1)..];
        foreach (var item in root.Parse(rest).GetCompletions(rest.Length))
            await output.WriteLineAsync(item.Label);
        return ExitCodes.Success;
    }
}
