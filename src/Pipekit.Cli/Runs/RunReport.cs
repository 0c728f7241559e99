using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>
/// What is printed after a module run, and the matching exit code. Success goes to stdout; a failure is one line on stderr
/// (the run id and where the details are), never the engine's log line as well.
/// </summary>
internal static class RunReport
{
    public static async Task<int> PrintAsync(CliContext ctx, string module, RunResult result, RunReportOptions options, CancellationToken ct)
    {
        var runs = await ctx.GetAsync<RunLogRepository>(ct);
        var entry = result.RunId is { } id ? await runs.GetAsync(id, CancellationToken.None) : null;
        return await PrintAsync(ctx, module, result, entry, options);
    }

    /// <summary>The same report from a run-log row read earlier (<c>pipekit copy</c> reads it before its module goes).</summary>
    public static async Task<int> PrintAsync(CliContext ctx, string module, RunResult result, RunLogEntry? entry, RunReportOptions options)
    {
        var code = ExitCode(result, entry, options);
        if (options.Json)
        {
            if (entry is not null) await JsonOutput.WriteAsync(ctx, RunDto.From(entry), CancellationToken.None);
            if (code != ExitCodes.Success) await ctx.Error.WriteLineAsync($"error: {Failure(module, result, entry)}");
            return code;
        }
        var duration = entry?.DurationMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $" in {ms / 1000.0:0.00} s") : "";
        var runId = result.RunId is { } r ? $"run {r}" : "no run";
        switch (result.Status)
        {
            case RunStatus.Success:
                await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{module}: success, {result.RowCount:N0} rows{duration} ({runId})"));
                if (entry?.Drift == true)
                    await ctx.Out.WriteLineAsync($"{module}: success, drift: the verification after the run found source and destination apart; see 'pipekit runs show {result.RunId}'");
                if (entry?.HookFailed == true)
                {
                    var hook = $"{module}: a hook failed; the merge stands; see 'pipekit runs show {result.RunId}'";
                    if (options.AllowHookFailure) await ctx.Out.WriteLineAsync(hook);
                    else await ctx.Error.WriteLineAsync($"error: {hook}");
                }
                return code;
            case RunStatus.DryRun:
                await ctx.Out.WriteLineAsync($"{module}: dry run{duration} ({runId}); nothing moved");
                foreach (var note in Notes(entry)) await ctx.Out.WriteLineAsync(note);
                if (entry?.WatermarkValuesJson is { } wm) await ctx.Out.WriteLineAsync($"watermarks: {wm}");
                await ctx.Out.WriteLineAsync("-- resolved source query");
                await ctx.Out.WriteLineAsync(entry?.ResolvedSourceSql?.TrimEnd());
                await ctx.Out.WriteLineAsync("-- merge SQL");
                await ctx.Out.WriteLineAsync(entry?.MergeSql?.TrimEnd());
                return code;
            default:
                await ctx.Error.WriteLineAsync($"error: {Failure(module, result, entry)}");
                return code;
        }
    }

    internal static int ExitCode(RunResult result, RunLogEntry? entry, RunReportOptions options) => result.Status switch
    {
        RunStatus.Success when entry?.HookFailed == true && !options.AllowHookFailure => ExitCodes.Failure,
        RunStatus.Success or RunStatus.DryRun => ExitCodes.Success,
        _ => ExitCodes.Failure,
    };

    private static string Failure(string module, RunResult result, RunLogEntry? entry)
    {
        if (result.Status == RunStatus.Success) return $"{module}: a hook failed; the merge stands (run {result.RunId}; 'pipekit runs show {result.RunId}' has the hook log)";
        var where = result.RunId is { } id ? $" (run {id}; 'pipekit runs show {id}' has the details)" : "";
        return $"{module}: {RunText.OneLine(result.Error ?? entry?.Error ?? result.Status.ToText())}{where}";
    }

    // The live log's lines that explain a dry run (a destination that will be created, watermarks that take their default).
    private static IEnumerable<string> Notes(RunLogEntry? entry) =>
        (entry?.LiveLog ?? "").Split('\n').Where(l => l.Contains(" does not exist yet", StringComparison.Ordinal) || l.Contains(" would take its default", StringComparison.Ordinal));
}
