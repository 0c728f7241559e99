using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Pipekit.Core.Secrets;
using Pipekit.Core.Validation;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/api/pipelines</c> (the DAGs of the workspace, validation, starting a run) and <c>/api/pipeline-runs</c> (runs, their
/// tasks and secret reads, resume, cancel, and a task's log streamed as server-sent events).
/// </summary>
internal static class PipelinesApi
{
    /// <summary>How often a log stream looks for new lines and at its task's status.</summary>
    public static readonly TimeSpan StreamPollInterval = TimeSpan.FromMilliseconds(250);

    public static RouteGroupBuilder MapPipelinesApi(this IEndpointRouteBuilder routes)
    {
        var pipelines = routes.MapGroup("/api/pipelines").WithTags("pipelines");
        pipelines.MapGet("/", List);
        pipelines.MapGet("/validate", Validate);
        pipelines.MapGet("/{dag}", Get);
        pipelines.MapPost("/{dag}/run", Run);

        var runs = routes.MapGroup("/api/pipeline-runs").WithTags("pipelines");
        runs.MapGet("/", ListRuns);
        runs.MapGet("/{id:long}", GetRun);
        runs.MapPost("/{id:long}/resume", Resume);
        runs.MapPost("/{id:long}/cancel", Cancel);
        runs.MapGet("/{id:long}/tasks/{task}/log", StreamLog).Unlimited();
        return pipelines;
    }

    internal static async Task<Ok<Page<PipelineSummaryDto>>> List(Workspace workspace, PipelineRunRepository runs, CancellationToken ct)
    {
        var report = await workspace.LoadAsync(ct);
        var items = new List<PipelineSummaryDto>();
        foreach (var p in report.Projects)
        {
            var latest = (await runs.ListAsync(p.Name, null, null, 1, ct)).FirstOrDefault();
            items.Add(new PipelineSummaryDto(p.Name, p.Directory, p.Tasks.Count, p.Schedule, p.Overlap.ToString().ToLowerInvariant(),
                report.ProblemsOf(p.Name).Count, latest?.Id, latest?.Status.ToText()));
        }
        return TypedResults.Ok(Page<PipelineSummaryDto>.All(items));
    }

    internal static async Task<Ok<ValidationReportDto>> Validate(Workspace workspace, CancellationToken ct)
    {
        var report = await workspace.LoadAsync(ct);
        return TypedResults.Ok(new ValidationReportDto(report.Root, report.Projects.Select(p => p.Name).ToList(),
            report.Problems.Select(ProjectProblemDto.From).ToList(), report.IsValid));
    }

    internal static async Task<Results<Ok<PipelineDto>, ProblemHttpResult>> Get(string dag, Workspace workspace, CancellationToken ct)
    {
        var report = await workspace.LoadAsync(ct);
        return report.Projects.FirstOrDefault(p => p.Name == dag) is { } project
            ? TypedResults.Ok(PipelineDto.From(project, report.ProblemsOf(dag)))
            : Problems.NotFound($"pipeline '{dag}'");
    }

    internal static async Task<Accepted<PipelineRunStartedDto>> Run(string dag, [FromBody] PipelineRunInput? input, PipelineRunService service, CancellationToken ct)
    {
        var runId = await service.StartAsync(new PipelineRunRequest { Dag = dag, OnlyTask = input?.Task, Force = input?.Force ?? false, TriggeredBy = "api" }, ct);
        return TypedResults.Accepted($"/api/pipeline-runs/{runId}", new PipelineRunStartedDto(runId, 1));
    }

    internal static async Task<Ok<Page<PipelineRunDto>>> ListRuns(string? dag, string? status, int? limit, long? cursor, PipelineRunRepository runs,
        CancellationToken ct)
    {
        var take = Limits.Check(limit);
        PipelineRunStatus? parsed = null;
        if (status is not null)
        {
            try
            {
                parsed = StatusText.ParseRun(status);
            }
            catch (FormatException)
            {
                throw new ValidationException("status", $"'{status}' is not a run status (queued, running, success, failed, cancelled, skipped)");
            }
        }
        var rows = await runs.ListAsync(dag, parsed, cursor, take + 1, ct);
        return TypedResults.Ok(Page<PipelineRunDto>.Of(rows.Select(PipelineRunDto.From).ToList(), take, r => r.Id));
    }

    internal static async Task<Results<Ok<PipelineRunDetailDto>, ProblemHttpResult>> GetRun(long id, PipelineRunRepository runs, SecretAuditRepository audit,
        CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return Problems.NotFound($"pipeline run {id}");
        var tasks = await runs.TasksAsync(id, ct);
        var reads = await audit.ListAsync(id, null, 1000, ct);
        return TypedResults.Ok(new PipelineRunDetailDto(PipelineRunDto.From(run), tasks.Select(TaskRunDto.From).ToList(), reads.Select(SecretAccessDto.From).ToList()));
    }

    internal static async Task<Accepted<PipelineRunStartedDto>> Resume(long id, PipelineRunService service, CancellationToken ct)
    {
        var attempt = await service.StartResumeAsync(id, ct);
        return TypedResults.Accepted($"/api/pipeline-runs/{id}", new PipelineRunStartedDto(id, attempt));
    }

    internal static async Task<Accepted> Cancel(long id, PipelineRunService service, CancellationToken ct)
    {
        await service.CancelAsync(id, ct);
        return TypedResults.Accepted($"/api/pipeline-runs/{id}");
    }

    /// <summary>
    /// Server-sent events of one task's log in the run's latest attempt: <c>log</c> for each line (its number as the id), then
    /// <c>end</c> with the task's status once it has finished and every line was sent. <c>Last-Event-ID: N</c> resumes after line N.
    /// </summary>
    internal static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamLog(long id, string task, HttpRequest request,
        PipelineRunRepository runs, Redactor redactor, TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var run = await runs.GetAsync(id, ct);
        if (run is null) return Problems.NotFound($"pipeline run {id}");
        var rows = await runs.TasksAsync(id, ct);
        if (!NotYetPlanned(run, rows) && rows.All(t => t.Task != task)) return Problems.NotFound($"task '{task}' of pipeline run {id}");
        var resumeAfter = long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0;
        return TypedResults.ServerSentEvents(LogEvents(id, task, resumeAfter, runs, redactor, time, ct, lifetime.ApplicationStopping));
    }

    private static async IAsyncEnumerable<SseItem<string>> LogEvents(long id, string task, long resumeAfter, PipelineRunRepository runs, Redactor redactor,
        TimeProvider time, [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var ct = linked.Token;
        long line = 0;
        long offset = 0;
        var pending = new StringBuilder();
        while (!ct.IsCancellationRequested)
        {
            var run = await runs.GetAsync(id, ct);
            if (run is null) yield break;
            var rows = await runs.TasksAsync(id, ct);
            var row = rows.LastOrDefault(t => t.Task == task && t.RunAttempt == run.Attempt);
            if (row is null && !NotYetPlanned(run, rows)) yield break;
            var runEnded = run.Status is not (PipelineRunStatus.Queued or PipelineRunStatus.Running);
            var finished = row is not null && (runEnded || row.Status is not (TaskRunStatus.Pending or TaskRunStatus.Running));
            var path = row?.LogPath ?? (run.RunDir is null ? null : Path.Combine(run.RunDir, "logs", task + ".log"));
            if (row is not null && path is not null && File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(offset, SeekOrigin.Begin);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                pending.Append(await reader.ReadToEndAsync(ct));
                offset = stream.Position;
                var text = pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end >= 0)
                {
                    foreach (var l in text[..end].Split('\n'))
                    {
                        line++;
                        if (line > resumeAfter)
                            yield return new SseItem<string>(redactor.Redact(l), "log") { EventId = line.ToString(CultureInfo.InvariantCulture) };
                    }
                    pending.Clear().Append(text[(end + 1)..]);
                }
            }
            if (finished)
            {
                yield return new SseItem<string>(row!.Status.ToText() + (row.StatusDetail is null ? "" : ": " + row.StatusDetail), "end");
                yield break;
            }
            try
            {
                await Task.Delay(StreamPollInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Whether the run is queued or running but its latest attempt has no task rows yet: a run answers 202 before the
    /// executor writes them, so a log asked for right away waits for its task instead of being refused.
    /// </summary>
    private static bool NotYetPlanned(PipelineRun run, IReadOnlyList<TaskRunRecord> rows) =>
        run.Status is PipelineRunStatus.Queued or PipelineRunStatus.Running && rows.All(t => t.RunAttempt != run.Attempt);
}
