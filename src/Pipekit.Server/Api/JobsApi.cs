using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipekit.Chains.Jobs;
using Pipekit.Core.Secrets;
using Pipekit.Server.Api.Contracts;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/v1/jobs</c>: chain jobs (seed 001 "API"). A job posted whole starts at once; one posted with
/// <c>defer_run</c> takes more files through <c>append</c> and starts on <c>run</c>. Its logs are paged with
/// <c>?after=</c> or streamed as server-sent events.
/// </summary>
internal static class JobsApi
{
    /// <summary>How many of the newest log lines a job response carries.</summary>
    public const int LastLogLines = 20;

    /// <summary>How often a log stream looks at the store: jobs of other processes stream too.</summary>
    public static readonly TimeSpan StreamPollInterval = TimeSpan.FromMilliseconds(100);

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/jobs").WithTags("jobs");
        group.MapGet("/", List);
        group.MapPost("/", Create);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/{id:long}/append", Append);
        group.MapPost("/{id:long}/run", Run);
        group.MapPost("/{id:long}/cancel", Cancel);
        group.MapGet("/{id:long}/logs", Logs).Unlimited();
        return group;
    }

    internal static async Task<Ok<Page<JobDto>>> List(string? status, int? limit, ChainJobService jobs, CancellationToken ct)
    {
        var take = Limits.Check(limit);
        var items = await jobs.ListAsync(status, take, ct);
        return TypedResults.Ok(Page<JobDto>.All(items.Select(j => JobDto.From(j, [])).ToList()));
    }

    internal static async Task<Accepted<JobDto>> Create(JobInput input, ChainJobService jobs, CancellationToken ct)
    {
        var job = await jobs.CreateAsync(input.ToRequest(), ct);
        return TypedResults.Accepted($"/v1/jobs/{job.Id}", await DtoAsync(job, jobs, ct));
    }

    internal static async Task<Ok<JobDto>> Get(long id, ChainJobService jobs, CancellationToken ct) =>
        TypedResults.Ok(await DtoAsync(await jobs.GetAsync(id, ct), jobs, ct));

    internal static async Task<Ok<JobDto>> Append(long id, AppendInput input, ChainJobService jobs, CancellationToken ct) =>
        TypedResults.Ok(await DtoAsync(await jobs.AppendAsync(id, JobDtoMapping.Files(input.ProjectTree), ct), jobs, ct));

    internal static async Task<Accepted<JobDto>> Run(long id, ChainJobService jobs, CancellationToken ct) =>
        TypedResults.Accepted($"/v1/jobs/{id}", await DtoAsync(await jobs.RunAsync(id, ct), jobs, ct));

    internal static async Task<Ok<JobDto>> Cancel(long id, ChainJobService jobs, CancellationToken ct) =>
        TypedResults.Ok(await DtoAsync(await jobs.CancelAsync(id, ct), jobs, ct));

    /// <summary>
    /// The job's log after line <c>after</c> (default 0), at most <c>limit</c> lines; with <c>Accept: text/event-stream</c>
    /// a stream of <c>log</c> events (id = line number, so <c>Last-Event-ID</c> resumes) ending with an <c>end</c> event.
    /// </summary>
    internal static async Task<IResult> Logs(long id, long? after, int? limit, HttpRequest request, ChainJobService jobs, Redactor redactor,
        TimeProvider time, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        if (request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var resume = long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : after ?? 0;
            return TypedResults.ServerSentEvents(Events(id, resume, jobs, redactor, time, json.Value.SerializerOptions, ct, lifetime.ApplicationStopping));
        }
        var entries = await jobs.LogsAsync(id, after ?? 0, limit ?? 1000, ct);
        return TypedResults.Ok(new JobLogsDto(id, job.Status, entries.Select(JobLogDto.From).ToList(), entries.Count > 0 ? entries[^1].Seq : after ?? 0));
    }

    private static async Task<JobDto> DtoAsync(ChainJob job, ChainJobService jobs, CancellationToken ct)
    {
        var logs = await jobs.LogsAsync(job.Id, 0, 100_000, ct);
        return JobDto.From(job, logs.TakeLast(LastLogLines).ToList());
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(long id, long after, ChainJobService jobs, Redactor redactor, TimeProvider time,
        JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var ct = linked.Token;
        var sent = after;
        while (!ct.IsCancellationRequested)
        {
            // Read the status before the lines: a job that ended has written its last line before its end.
            var job = await jobs.GetAsync(id, ct);
            foreach (var entry in await jobs.LogsAsync(id, sent, 1000, ct))
            {
                yield return new SseItem<string>(redactor.Redact(entry.Line), "log") { EventId = entry.Seq.ToString(CultureInfo.InvariantCulture) };
                sent = entry.Seq;
            }
            if (job.IsTerminal)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { job_id = id, status = job.Status }, json), "end");
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
}
