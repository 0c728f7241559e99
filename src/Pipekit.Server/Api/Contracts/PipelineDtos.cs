using Pipekit.Core.Retries;
using Pipekit.Core.Configuration;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;

namespace Pipekit.Server.Api.Contracts;

internal sealed record PipelineSummaryDto(string Name, string Directory, int Tasks, string? Schedule, string Overlap, int Problems, long? LatestRunId,
    string? LatestStatus);

internal sealed record PipelineTaskDto(string Name, string Script, string Runner, IReadOnlyList<string> DependsOn, string? Timeout, int Retries,
    string RetryDelay, string RetryBackoff);

internal sealed record PipelineOutputDto(string Name, string? Type, string? Location);

/// <summary>A DAG with its tasks and edges, enough to draw its graph.</summary>
internal sealed record PipelineDto(string Name, string Directory, string? Schedule, string Overlap, string? Timeout, IReadOnlyList<string> Requires,
    string? SqlConnection, IReadOnlyList<PipelineTaskDto> Tasks, IReadOnlyList<PipelineOutputDto> Outputs, IReadOnlyList<ProjectProblemDto> Problems)
{
    public static PipelineDto From(PitProject p, IReadOnlyList<ProjectProblem> problems) => new(p.Name, p.Directory, p.Schedule,
        p.Overlap.ToString().ToLowerInvariant(), p.Timeout is { } t ? DurationText.Format(t) : null, p.Requires, p.SqlConnection,
        p.Tasks.Select(t => new PipelineTaskDto(t.Name, t.Script, RunnerChoice.For(t, out _)?.ToString() ?? t.Runner ?? "", t.DependsOn,
            t.Timeout is { } x ? DurationText.Format(x) : null, t.Retries, DurationText.Format(t.RetryDelay), t.RetryBackoff.ToString().ToLowerInvariant())).ToList(),
        p.Outputs.Select(o => new PipelineOutputDto(o.Name, o.Type, o.Location)).ToList(), problems.Select(ProjectProblemDto.From).ToList());
}

internal sealed record ProjectProblemDto(string File, int Line, string Dag, string? Task, string Message)
{
    public static ProjectProblemDto From(ProjectProblem p) => new(p.File, p.Line, p.Project, p.Task, p.Message);
}

internal sealed record ValidationReportDto(string Workspace, IReadOnlyList<string> Dags, IReadOnlyList<ProjectProblemDto> Problems, bool Valid);

/// <summary>Body of <c>POST /api/pipelines/{dag}/run</c>: optionally one task alone, and force past unmet requires.</summary>
internal sealed record PipelineRunInput(string? Task, bool? Force);

internal sealed record PipelineRunStartedDto(long RunId, int Attempt);

internal sealed record PipelineRunDto(long Id, long PipelineId, string Dag, string Status, string? StatusDetail, string TriggeredBy, string? OnlyTask,
    int Attempt, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static PipelineRunDto From(PipelineRun r) => new(r.Id, r.PipelineId, r.DagName, r.Status.ToText(), r.StatusDetail, r.TriggeredBy, r.OnlyTask,
        r.Attempt, r.CreatedAt, r.StartedAt, r.FinishedAt);
}

internal sealed record TaskRunDto(int RunAttempt, string Task, string Status, int Attempts, int? ExitCode, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? StatusDetail)
{
    public static TaskRunDto From(TaskRunRecord t) => new(t.RunAttempt, t.Task, t.Status.ToText(), t.Attempts, t.ExitCode, t.StartedAt, t.FinishedAt, t.StatusDetail);
}

internal sealed record SecretAccessDto(long Id, long RunId, string Dag, string Task, string Method, string Key, string? Field, bool Found, DateTimeOffset AccessedAt)
{
    public static SecretAccessDto From(SecretAccess a) => new(a.Id, a.RunId, a.DagName, a.Task, a.Method, a.Key, a.Field, a.Found, a.AccessedAt);
}

/// <summary>A run in full: every task row of every attempt, and its secret reads.</summary>
internal sealed record PipelineRunDetailDto(PipelineRunDto Run, IReadOnlyList<TaskRunDto> Tasks, IReadOnlyList<SecretAccessDto> SecretReads);
