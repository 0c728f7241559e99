using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// With <c>PIPEKIT_TIMING=1</c>, writes how long the process took to reach each step of a command to stderr (from the
/// process start, so the runtime's own start-up counts too): the tool for keeping a small <c>pipekit run</c> fast.
/// </summary>
internal sealed class StartupTimer
{
    private readonly TextWriter? _error;
    private readonly DateTime _processStart;

    private StartupTimer(TextWriter? error)
    {
        _error = error;
        _processStart = error is null ? default : Process.GetCurrentProcess().StartTime.ToUniversalTime();
    }

    public static StartupTimer FromEnvironment(TextWriter error) =>
        new(Environment.GetEnvironmentVariable("PIPEKIT_TIMING") is "1" or "true" ? error : null);

    public void Mark(string step)
    {
        if (_error is null) return;
        // CPU time next to wall time: on a busy machine the wall figure mostly measures waiting for a core.
        // The JIT figures say how much of it went to compiling what ReadyToRun did not precompile.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        _error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[timing] {(DateTime.UtcNow - _processStart).TotalMilliseconds,7:0} ms  {cpu,6:0} ms cpu  {jitted,5} jitted in {jitMs,5:0} ms  {step}"));
    }
}
