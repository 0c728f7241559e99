using System.Diagnostics;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Transfer;
using Pipekit.Sync.Runs;
using Spectre.Console;

namespace Pipekit.Cli.Terminal;

/// <summary>
/// Shows a run's phase and progress: a live status line on a terminal, refreshed several times a second so the elapsed
/// time and the spinner keep moving through a long merge; in a pipe, one plain line per phase and per transfer report
/// (so logs and cron mail stay readable). <c>--json</c> runs show nothing, so standard output holds only the JSON.
/// </summary>
internal sealed class ProgressReporter : IProgress<TransferProgress>, IProgress<RunPhase>
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);

    private readonly CliContext _ctx;
    private readonly bool _interactive;
    private readonly bool _quiet;
    private readonly Lock _gate = new();
    private string _prefix = "";
    private string _phase = "starting";
    private string _detail = "";
    private long _phaseStarted = Stopwatch.GetTimestamp();

    public ProgressReporter(CliContext ctx, bool quiet = false)
    {
        _ctx = ctx;
        _quiet = quiet;
        _interactive = !quiet && ReferenceEquals(ctx.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    }

    /// <summary>Runs <paramref name="work"/> with the live display (if any) around it.</summary>
    public Task<T> RunAsync<T>(string prefix, Func<Task<T>> work)
    {
        _prefix = prefix;
        // In a pipe (cron, scripts) the work runs as it is: no extra async layer, and the terminal library stays unloaded.
        return _interactive ? RunWithStatusAsync(prefix, work) : work();
    }

    private Task<T> RunWithStatusAsync<T>(string prefix, Func<Task<T>> work) =>
        AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync($"{Markup.Escape(prefix)} starting…", async status =>
        {
            var task = work();
            // The line is redrawn on a timer, not only on reports: a merge sends none for as long as it takes.
            while (await Task.WhenAny(task, Task.Delay(Refresh)) != task)
                status.Status(Markup.Escape(Line()));
            return await task;
        });

    /// <summary>Starts the display of a new module (a group run's next member).</summary>
    public void Module(string name)
    {
        lock (_gate)
        {
            _prefix = name;
            _phase = "starting";
            _detail = "";
            _phaseStarted = Stopwatch.GetTimestamp();
        }
    }

    public void Report(RunPhase value)
    {
        lock (_gate)
        {
            _phase = Describe(value);
            _detail = "";
            _phaseStarted = Stopwatch.GetTimestamp();
        }
        _ctx.Mark(_phase);
        if (!_interactive && !_quiet) _ctx.Out.WriteLine($"{_prefix}: {_phase}");
    }

    public void Report(TransferProgress value)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{value.Rows:N0} rows  {value.RowsPerSecond:N0} rows/s");
        lock (_gate) _detail = text;
        if (!_interactive && !_quiet)
            _ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_prefix}: {_phase} {text}  {value.Elapsed.TotalSeconds:0.0} s"));
    }

    internal static string Describe(RunPhase phase) => phase switch
    {
        RunPhase.ResolvingWatermarks => "resolving watermarks",
        RunPhase.Transferring => "transferring",
        RunPhase.Merging => "merging",
        RunPhase.Hooks => "running hooks",
        _ => phase.ToString(),
    };

    private string Line()
    {
        lock (_gate)
        {
            var elapsed = Stopwatch.GetElapsedTime(_phaseStarted);
            return string.Create(CultureInfo.InvariantCulture,
                $"{_prefix}: {_phase}{(_detail.Length > 0 ? "  " + _detail : "")}  {elapsed.TotalSeconds:0.0} s");
        }
    }
}
