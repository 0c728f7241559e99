using Pipekit.Core.Scheduling;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Scheduling;

/// <summary>
/// Keeps the scheduler's <c>pipeline</c> schedules equal to the <c>[dag].schedule</c> keys of the workspace (UTC, as Pit
/// evaluates them): a new or changed cron is saved, a removed one deleted. Projects with problems keep their schedules
/// until fixed, and a fire of an invalid project records why it could not start. The scheduler's compare-and-swap on
/// <c>last_fired_at</c> then fires each occurrence once, whichever node runs it.
/// </summary>
public sealed class PipelineScheduleSync(Workspace workspace, PipelineRepository pipelines, ScheduleRepository schedules, ScheduleEditor editor)
{
    /// <summary>Applies the workspace's schedules; returns what changed, one line each.</summary>
    public async Task<IReadOnlyList<string>> SyncAsync(CancellationToken cancellationToken)
    {
        var report = await workspace.LoadAsync(cancellationToken);
        var changes = new List<string>();
        var existing = (await schedules.ListAsync("pipeline", null, null, cancellationToken)).ToList();
        var broken = report.Problems.Select(p => p.Project).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<long>();
        foreach (var project in report.Projects.Where(p => p.Schedule is not null && !broken.Contains(p.Name)))
        {
            var pipeline = await pipelines.EnsureAsync(project.Name, project.Directory, cancellationToken);
            wanted.Add(pipeline.Id);
            var current = existing.FirstOrDefault(s => s.TargetId == pipeline.Id);
            if (current is null)
            {
                await editor.CreateAsync(new Schedule { TargetKind = "pipeline", TargetId = pipeline.Id, CronExpr = project.Schedule!, Timezone = "UTC" }, cancellationToken);
                changes.Add($"scheduled {project.Name} at '{project.Schedule}' (UTC)");
            }
            else if (current.CronExpr != project.Schedule || !current.Enabled)
            {
                await editor.UpdateAsync(current with { CronExpr = project.Schedule!, Timezone = "UTC", Enabled = true }, cancellationToken);
                changes.Add($"rescheduled {project.Name} at '{project.Schedule}' (UTC)");
            }
        }
        var keepBroken = new HashSet<long>();
        foreach (var name in broken)
            if (await pipelines.FindAsync(name, cancellationToken) is { } p) keepBroken.Add(p.Id);
        foreach (var stale in existing.Where(s => !wanted.Contains(s.TargetId) && !keepBroken.Contains(s.TargetId)))
        {
            await editor.DeleteAsync(stale.Id, cancellationToken);
            changes.Add($"unscheduled {(await pipelines.GetAsync(stale.TargetId, cancellationToken))?.Name ?? $"pipeline {stale.TargetId}"}");
        }
        return changes;
    }
}
