using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// With <c>PIPEKIT_TIMING=1</c>, writes how long the process took to reach each step of a command to stderr (from the
/// process start, so the runtime's own start-up counts too): the tool for keeping a small <c>pipekit run</c> fast.
/// With <c>PIPEKIT_TIMING=assemblies</c> it also lists, at the end, every assembly the command loaded, so a change that
/// pulls a library onto a short command's path (Dapper, DuckDB, an unused provider) shows up.
/// </summary>
internal sealed class StartupTimer
{
    private readonly TextWriter? _error;
    private readonly DateTime _processStart;
    private readonly bool _listAssemblies;

    private StartupTimer(TextWriter? error, bool listAssemblies = false)
    {
        _error = error;
        _listAssemblies = listAssemblies;
        _processStart = error is null ? default : Process.GetCurrentProcess().StartTime.ToUniversalTime();
    }

    public static StartupTimer FromEnvironment(TextWriter error) => Environment.GetEnvironmentVariable("PIPEKIT_TIMING") switch
    {
        "1" or "true" => new(error),
        "assemblies" => new(error, listAssemblies: true),
        _ => new(null),
    };

    /// <summary>The last step of a command: with <c>PIPEKIT_TIMING=assemblies</c>, also the assemblies it loaded.</summary>
    public void Finish(string step)
    {
        Mark(step);
        if (_error is null || !_listAssemblies) return;
        var names = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "?").Order(StringComparer.Ordinal).ToList();
        _error.WriteLine($"[timing] {names.Count} assemblies loaded: {string.Join(", ", names)}");
    }

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
