using System.Text.Json;
using System.Text.Json.Serialization;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Scripts;

namespace Pipekit.Server.Api.Contracts;

/// <summary>One file of a <c>project_tree</c>: its content and an optional etag the client keeps for itself.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ProjectFileInput(string? Content, string? Etag);

/// <summary>Body of <c>POST /v1/jobs</c> (seed 001 "API"); unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record JobInput(
    string? RequestId,
    string? UserId,
    Dictionary<string, ProjectFileInput>? ProjectTree,
    string? HeadPath,
    Dictionary<string, JsonElement>? Variables,
    int? SnapshotTtl,
    int? JobTtl,
    int? TimeoutMs,
    string? Engine,
    JsonElement? TelemetryContext,
    string? WebhookUrl,
    bool? DeferRun,
    bool? KeepInstance)
{
    public ChainJobRequest ToRequest() => new()
    {
        RequestId = RequestId,
        UserId = UserId,
        ProjectTree = JobDtoMapping.Files(ProjectTree),
        HeadPath = HeadPath ?? throw new Core.Validation.ValidationException("head_path", "is required (the path of the file to run)"),
        Variables = (Variables ?? []).ToDictionary(v => v.Key, v => JobDtoMapping.Variable(v.Key, v.Value)),
        SnapshotTtl = SnapshotTtl,
        JobTtl = JobTtl,
        TimeoutMs = TimeoutMs,
        Engine = Engine,
        TelemetryContext = TelemetryContext is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } t ? t.GetRawText() : null,
        WebhookUrl = WebhookUrl,
        DeferRun = DeferRun ?? false,
        KeepInstance = KeepInstance ?? false,
    };
}

/// <summary>Body of <c>POST /v1/jobs/{id}/append</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record AppendInput(Dictionary<string, ProjectFileInput>? ProjectTree);

internal sealed record JobSnapshotDto(string? TailHash, long? LayerId, bool? Hit, JobMissDto? Miss);

internal sealed record JobMissDto(string Kind, string StepPath, string Detail);

internal sealed record JobStageDto(string Stage, long DurationMs);

internal sealed record JobProgressDto(string? Stage, long DurationMs, IReadOnlyList<JobStageDto> Stages);

internal sealed record JobColumnDto(string Name, string Type);

/// <summary>The query result shape: <c>{columns:[{name,type}], rows, row_count}</c>.</summary>
internal sealed record JobRowsDto(IReadOnlyList<JobColumnDto> Columns, IReadOnlyList<object?[]> Rows, long RowCount)
{
    public static JobRowsDto From(ChainResult r) => new(r.Columns.Select(c => new JobColumnDto(c.Name, c.Type)).ToList(), r.Rows, r.RowCount);
}

internal sealed record JobErrorDto(string Message, string? Sqlstate, string? Path, int? Line);

internal sealed record JobMetricsDto(long? LatencyMs, bool? CacheHit, int Retries);

internal sealed record JobLogDto(long Seq, DateTimeOffset At, string Line)
{
    public static JobLogDto From(ChainJobLogEntry e) => new(e.Seq, e.At, e.Line);
}

internal sealed record JobLinksDto(string Self, string Logs);

/// <summary>
/// The instance of a job that asked to keep it: <c>kept</c> until <c>kept_until</c> (then GC drops it and sets
/// <c>dropped_at</c>); <c>connect</c> is a postgres:// URI without a password (use the role's own) or the DuckDB/SQLite
/// file's path.
/// </summary>
internal sealed record JobInstanceDto(bool Requested, bool Kept, string? Name, string? Engine, string? Connect, DateTimeOffset? KeptUntil, DateTimeOffset? DroppedAt)
{
    public static JobInstanceDto From(ChainJob j) => new(j.KeepInstance, j.Instance is not null && j.InstanceDroppedAt is null,
        j.Instance is { } i ? Path.GetFileNameWithoutExtension(i.Name) : null, j.Instance is null ? null : j.Engine,
        j.Instance?.Connect, j.InstanceKeptUntil, j.InstanceDroppedAt);
}

internal sealed record JobDto(
    long Id,
    string Status,
    string? RequestId,
    string? UserId,
    string Engine,
    string HeadPath,
    JobSnapshotDto Snapshot,
    JobProgressDto Progress,
    JobRowsDto? Rows,
    JobErrorDto? Error,
    IReadOnlyList<JobLogDto> Logs,
    JobMetricsDto Metrics,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset ExpiresAt,
    JobInstanceDto Instance,
    string? Node,
    DateTimeOffset? CancelRequestedAt,
    JobLinksDto Links)
{
    public static JobDto From(ChainJob j, IReadOnlyList<ChainJobLogEntry> logs) => new(
        j.Id, j.Status, j.RequestId, j.UserId, j.Engine, j.HeadPath,
        new JobSnapshotDto(j.TailHash, j.LayerId, j.CacheHit, j.Miss is { } m ? new JobMissDto(m.Kind, m.StepPath, m.Detail) : null),
        new JobProgressDto(j.Stage, j.Stages.Sum(s => s.DurationMs), j.Stages.Select(s => new JobStageDto(s.Stage, s.DurationMs)).ToList()),
        j.Result is { } r ? JobRowsDto.From(r) : null,
        j.Error is { } e ? new JobErrorDto(e.Message, e.SqlState, e.Path, e.Line) : null,
        logs.Select(JobLogDto.From).ToList(),
        new JobMetricsDto(j.FinishedAt is { } f ? (long)(f - j.CreatedAt).TotalMilliseconds : null, j.CacheHit, j.Retries),
        j.CreatedAt, j.StartedAt, j.FinishedAt, j.ExpiresAt, JobInstanceDto.From(j), j.Owner, j.CancelRequestedAt,
        new JobLinksDto($"/v1/jobs/{j.Id}", $"/v1/jobs/{j.Id}/logs"));
}

internal sealed record JobLogsDto(long JobId, string Status, IReadOnlyList<JobLogDto> Entries, long NextAfter);
