using Pipekit.Core.Configuration;
using System.Globalization;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;

namespace Pipekit.Cli.Pipelines;

/// <summary>The table printed at the end of a run or resume: task, status, attempts, duration, and why it did not succeed.</summary>
internal static class RunSummary
{
    public static async Task WriteAsync(TextWriter output, string dag, PipelineRunResult result)
    {
        var outcome = result.Outcome;
        var width = Math.Max(4, outcome.Tasks.Max(t => t.Task.Length));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"task".PadRight(width)}  {"status",-15}  {"attempts",8}  {"duration",9}  detail");
        foreach (var t in outcome.Tasks)
        {
            var duration = t.Duration is { } d ? DurationText.Format(d) : "-";
            await output.WriteLineAsync($"{t.Task.PadRight(width)}  {t.Status.ToText(),-15}  {t.Attempts.ToString(CultureInfo.InvariantCulture),8}  {duration,9}  {t.Detail}");
        }
        var attempt = result.Attempt > 1 ? $", attempt {result.Attempt}" : "";
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{dag}: run {result.RunId}{attempt} {outcome.Status.ToText()} in {DurationText.Format(outcome.FinishedAt - outcome.StartedAt)}"
            + (outcome.Detail is null ? "" : $" ({outcome.Detail})"));
        if (outcome.Status is PipelineRunStatus.Failed or PipelineRunStatus.Cancelled)
            await output.WriteLineAsync($"logs: pipekit pipelines logs {dag} --run-id {result.RunId}; resume: pipekit pipelines resume {result.RunId}");
    }
}
