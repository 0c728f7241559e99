using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/api/group-runs</c>: runs of whole groups, newest first; one with its module runs; and "re-run failed members"
/// of one that ended, which starts a new group run of only the members that erred (202 with its id).
/// </summary>
internal static class GroupRunsApi
{
    public static RouteGroupBuilder MapGroupRunsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/group-runs").WithTags("group-runs");
        group.MapGet("/", List).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/rerun-failed", RerunFailed).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Ok<Page<GroupRunDto>>> List([FromQuery(Name = "group_id")] long? groupId, int? limit, long? cursor,
        GroupRunRepository groupRuns, CancellationToken ct)
    {
        var take = Limits.Check(limit);
        var rows = await groupRuns.ListAsync(groupId, cursor, take + 1, ct);
        return TypedResults.Ok(Page<GroupRunDto>.Of(rows.Select(g => GroupRunDto.From(g)).ToList(), take, g => g.Id));
    }

    internal static async Task<Results<Ok<GroupRunDto>, ProblemHttpResult>> Get(long id, GroupRunRepository groupRuns, RunLogRepository runs,
        CancellationToken ct)
    {
        if (await groupRuns.GetAsync(id, ct) is not { } groupRun) return Problems.NotFound($"group run {id}");
        var members = await runs.ListAsync(new RunFilter { GroupRunId = id, Limit = 1000 }, ct);
        return TypedResults.Ok(GroupRunDto.From(groupRun, members.OrderBy(r => r.Id).ToList()));
    }

    internal static async Task<Accepted<GroupRunStartedDto>> RerunFailed(long id, GroupRerun rerun, CancellationToken ct)
    {
        var started = await rerun.RerunFailedAsync(id, new RunStart { TriggeredBy = "api" }, ct);
        return TypedResults.Accepted($"/api/group-runs/{started.GroupRunId}", new GroupRunStartedDto(started.GroupRunId));
    }
}
