using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Transfer;
using Spectre.Console;

namespace Pipekit.Cli.Terminal;

/// <summary>
/// Shows transfer progress: a live status line on a terminal, plain timestamped lines in a pipe (so logs and
/// CI output stay readable).
/// </summary>
internal sealed class ProgressReporter : IProgress<TransferProgress>
{
    private readonly CliContext _ctx;
    private readonly bool _interactive;
    private StatusContext? _status;
    private string _prefix = "";

    public ProgressReporter(CliContext ctx)
    {
        _ctx = ctx;
        _interactive = ReferenceEquals(ctx.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    }

    /// <summary>Runs <paramref name="work"/> with the live display (if any) around it.</summary>
    public async Task<T> RunAsync<T>(string prefix, Func<Task<T>> work)
    {
        _prefix = prefix;
        if (!_interactive) return await work();
        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync($"{Markup.Escape(prefix)} starting…", async status =>
        {
            _status = status;
            try
            {
                return await work();
            }
            finally
            {
                _status = null;
            }
        });
    }

    public void Report(TransferProgress value)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{value.Rows:N0} rows  {value.RowsPerSecond:N0} rows/s  {value.Elapsed.TotalSeconds:0.0} s");
        if (_status is { } status) status.Status($"{Markup.Escape(_prefix)} {text}");
        else if (!_interactive) _ctx.Out.WriteLine($"{_prefix} {text}");
    }
}
