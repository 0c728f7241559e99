using System.Text;
using Pipekit.Cli.Hosting;

namespace Pipekit.Cli.Terminal;

/// <summary>
/// Reads a secret without echo on a terminal; from a pipe it reads one line, so scripts can do
/// <c>printf %s "$PW" | pipekit secrets set KEY</c>.
/// </summary>
internal static class SecretPrompt
{
    public static async Task<string> ReadAsync(CliContext ctx, string prompt, CancellationToken cancellationToken)
    {
        var interactive = ReferenceEquals(ctx.In, Console.In) && !Console.IsInputRedirected;
        if (!interactive)
        {
            var line = await ctx.In.ReadLineAsync(cancellationToken);
            return line ?? throw new UsageException("no value on standard input");
        }
        await ctx.Error.WriteAsync(prompt);
        var value = new StringBuilder();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0) value.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) value.Append(key.KeyChar);
        }
        await ctx.Error.WriteLineAsync();
        return value.ToString();
    }
}
