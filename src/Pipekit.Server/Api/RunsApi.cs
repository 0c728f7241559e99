using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipekit.Core.Secrets;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Api;

/// <summary><c>/api/runs</c>: the run log, newest first with keyset pagination, one run in full, and its live stream.</summary>
internal static class RunsApi
{
    /// <summary>How often a stream looks at its run's row. The state store is polled so runs of other processes stream too.</summary>
    public static readonly TimeSpan StreamPollInterval = TimeSpan.FromMilliseconds(250);

    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("runs");
        group.MapGet("/", List).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/stream", Stream).Unlimited().ProducesProblems(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Ok<Page<RunSummaryDto>>> List([FromQuery(Name = "module_id")] long? moduleId, string? status, DateTimeOffset? since,
        int? limit, long? cursor, RunLogRepository runs, CancellationToken ct) =>
        TypedResults.Ok(await PageAsync(runs, moduleId, status, since, limit, cursor, ct));

    internal static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(long id, RunLogRepository runs, CancellationToken ct) =>
        await runs.GetAsync(id, ct) is { } r ? TypedResults.Ok(RunDto.From(r)) : Problems.NotFound($"run {id}");

    /// <summary>
    /// Server-sent events of one run: <c>status</c> when the status changes (and first of all), <c>log</c> for each
    /// live-log line with the line number as its id, and a last <c>end</c> event when the run has ended, after which
    /// the stream closes. A client reconnecting with <c>Last-Event-ID: N</c> gets the lines after line N.
    /// </summary>
    internal static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> Stream(long id, HttpRequest request, RunLogRepository runs,
        Redactor redactor, TimeProvider time, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is null) return Problems.NotFound($"run {id}");
        var resumeAfter = long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0;
        return TypedResults.ServerSentEvents(Events(id, resumeAfter, runs, redactor, time, json.Value.SerializerOptions, ct, lifetime.ApplicationStopping));
    }

    internal static async Task<Page<RunSummaryDto>> PageAsync(RunLogRepository runs, long? moduleId, string? status, DateTimeOffset? since, int? limit,
        long? cursor, CancellationToken ct)
    {
        var take = Limits.Check(limit);
        RunStatus? parsed = null;
        if (status is not null)
        {
            try
            {
                parsed = RunStatusText.Parse(status);
            }
            catch (ArgumentException)
            {
                throw new ValidationException("status", $"'{status}' is not a run status (queued, running, success, error, cancelled, dry_run)");
            }
        }
        var rows = await runs.ListAsync(new RunFilter { ModuleId = moduleId, Status = parsed, Since = since, Before = cursor, Limit = take + 1, IncludeText = false }, ct);
        return Page<RunSummaryDto>.Of(rows.Select(RunSummaryDto.From).ToList(), take, r => r.Id);
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(long id, long resumeAfter, RunLogRepository runs, Redactor redactor, TimeProvider time,
        JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var ct = linked.Token;
        var sent = resumeAfter;
        RunStatus? lastStatus = null;
        while (!ct.IsCancellationRequested)
        {
            // One short read per poll; no state-store connection stays open while the stream waits.
            var run = await runs.GetAsync(id, ct);
            if (run is null) yield break;
            // The status goes before the lines read with it, so a stream always opens with a status event.
            if (run.Status != lastStatus)
            {
                lastStatus = run.Status;
                yield return new SseItem<string>(JsonSerializer.Serialize(new StreamStatus(run.Id, run.Status, run.RowCount, run.Error), json), "status");
            }
            var lines = run.LiveLog.Split('\n');
            var complete = lines.Length - 1; // the text after the last newline is not a whole line yet
            for (var n = sent; n < complete; n++)
                yield return new SseItem<string>(redactor.Redact(lines[n]), "log") { EventId = (n + 1).ToString(CultureInfo.InvariantCulture) };
            sent = Math.Max(sent, complete);
            if (run.Status.IsFinished())
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new StreamStatus(run.Id, run.Status, run.RowCount, run.Error), json), "end");
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

    private sealed record StreamStatus(long RunId, RunStatus Status, long? RowCount, string? Error);
}
