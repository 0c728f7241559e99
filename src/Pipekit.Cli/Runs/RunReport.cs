using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>The one-line summary printed after a module run, and the matching exit code.</summary>
internal static class RunReport
{
    public static async Task<int> PrintAsync(CliContext ctx, string module, RunResult result, CancellationToken ct)
    {
        var runs = await ctx.GetAsync<RunLogRepository>(ct);
        var entry = result.RunId is { } id ? await runs.GetAsync(id, CancellationToken.None) : null;
        return await PrintAsync(ctx, module, result, entry);
    }

    /// <summary>The same report from a run-log row read earlier (<c>pipekit copy</c> reads it before its module goes).</summary>
    public static async Task<int> PrintAsync(CliContext ctx, string module, RunResult result, RunLogEntry? entry)
    {
        var duration = entry?.DurationMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $" in {ms / 1000.0:0.00} s") : "";
        var runId = result.RunId is { } r ? $"run {r}" : "no run";
        switch (result.Status)
        {
            case RunStatus.Success:
                await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{module}: success, {result.RowCount:N0} rows{duration} ({runId})"));
                if (entry?.Drift == true)
                    await ctx.Out.WriteLineAsync($"{module}: success, drift: the verification after the run found source and destination apart; see 'pipekit runs show {result.RunId}'");
                if (entry?.HookFailed == true)
                    await ctx.Out.WriteLineAsync($"{module}: a hook failed (the merge stands); see 'pipekit runs show {result.RunId}'");
                return ExitCodes.Success;
            case RunStatus.DryRun:
                await ctx.Out.WriteLineAsync($"{module}: dry run{duration} ({runId}); nothing moved");
                if (entry?.WatermarkValuesJson is { } wm) await ctx.Out.WriteLineAsync($"watermarks: {wm}");
                await ctx.Out.WriteLineAsync("-- resolved source query");
                await ctx.Out.WriteLineAsync(entry?.ResolvedSourceSql?.TrimEnd());
                await ctx.Out.WriteLineAsync("-- merge SQL");
                await ctx.Out.WriteLineAsync(entry?.MergeSql?.TrimEnd());
                return ExitCodes.Success;
            case RunStatus.Cancelled:
                await ctx.Error.WriteLineAsync($"{module}: {result.Error} ({runId})");
                return ExitCodes.Failure;
            default:
                await ctx.Error.WriteLineAsync($"error: {module}: {result.Error} ({runId}{(result.RunId is null ? "" : $"; 'pipekit runs show {result.RunId}' has the details")})");
                return ExitCodes.Failure;
        }
    }
}
