using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Api.Contracts;

/// <summary>
/// A run in a list: the run_log row without its long texts. A run of a module deleted since keeps its
/// <c>module_name</c>, with <c>module_id</c> null and <c>module_deleted</c> true.
/// </summary>
internal sealed record RunSummaryDto(long Id, long? ModuleId, string? ModuleName, bool ModuleDeleted, long? GroupRunId, RunStatus Status, string TriggeredBy,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, long? RowCount, string? Error, bool HookFailed, bool Drift,
    long? DeletedRows, int Attempts)
{
    public static RunSummaryDto From(RunLogEntry r) => new(r.Id, r.ModuleId, r.ModuleName, r.ModuleDeleted, r.GroupRunId, r.Status, r.TriggeredBy, r.StartedAt,
        r.FinishedAt, r.DurationMs, r.RowCount, r.Error, r.HookFailed, r.Drift, r.DeletedRows, r.Attempts);
}

/// <summary>A run in full: the exact SQL, transfer and hook output, the live log. Module fields as in <see cref="RunSummaryDto"/>.</summary>
internal sealed record RunDto(long Id, long? ModuleId, string? ModuleName, bool ModuleDeleted, long? GroupRunId, RunStatus Status, string TriggeredBy,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, long? RowCount, string? Error, string? ResolvedSourceSql,
    string? MergeSql, string? WatermarkValuesJson, string? TransferLog, string? ErrorDetail, string? HookLog, bool HookFailed, string LiveLog,
    IReadOnlyList<string> SchemaChanges, long? DeletedRows, bool Drift, System.Text.Json.JsonElement? Verify, int Attempts)
{
    public static RunDto From(RunLogEntry r) => new(r.Id, r.ModuleId, r.ModuleName, r.ModuleDeleted, r.GroupRunId, r.Status, r.TriggeredBy, r.StartedAt, r.FinishedAt,
        r.DurationMs, r.RowCount, r.Error, r.ResolvedSourceSql, r.MergeSql, r.WatermarkValuesJson, r.TransferLog, r.ErrorDetail, r.HookLog, r.HookFailed,
        r.LiveLog, r.SchemaChanges?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [], r.DeletedRows, r.Drift,
        r.VerifyJson is null ? null : System.Text.Json.JsonDocument.Parse(r.VerifyJson).RootElement.Clone(), r.Attempts);
}

internal sealed record GroupRunDto(long Id, long GroupId, string? GroupName, RunStatus Status, string? TriggeredBy, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, IReadOnlyList<RunSummaryDto>? Runs)
{
    public static GroupRunDto From(GroupRun g, IReadOnlyList<RunLogEntry>? runs = null) => new(g.Id, g.GroupId, g.GroupName, g.Status, g.TriggeredBy,
        g.StartedAt, g.FinishedAt, runs?.Select(RunSummaryDto.From).ToList());
}

/// <summary>Optional body of <c>modules/{id}/run</c> and <c>groups/{id}/run</c>.</summary>
internal sealed record RunRequest(bool? DryRun);

internal sealed record RunStartedDto(long RunId);

internal sealed record GroupRunStartedDto(long GroupRunId);

internal sealed record PreviewDto(long ModuleId, string ResolvedSourceSql, string MergeSql, IReadOnlyDictionary<string, string> WatermarkValues,
    string StagingTable, bool DestinationExists, IReadOnlyList<string> Notes)
{
    public static PreviewDto From(ModulePreview p) =>
        new(p.ModuleId, p.ResolvedSourceSql, p.MergeSql, p.WatermarkValues, p.StagingTable, p.DestinationExists, p.Notes);
}
