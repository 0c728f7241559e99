using Pipekit.Cli.Hosting;
using Pipekit.Sync.Files;
using Pipekit.Sync.Modules;

namespace Pipekit.Cli.Project;

/// <summary>Prints an apply plan: one line per connection, module, group and schedule, with the fields an update changes.</summary>
internal static class ApplyReport
{
    public static async Task PrintAsync(CliContext ctx, IReadOnlyList<ApplyChange> changes, bool dryRun)
    {
        foreach (var c in changes)
        {
            var fields = c.ChangedFields.Count > 0 ? $": {string.Join(", ", c.ChangedFields)}" : "";
            if (dryRun)
            {
                var mark = c.Action switch { ApplyAction.Created => "+", ApplyAction.Updated => "~", ApplyAction.Removed => "-", _ => "=" };
                await ctx.Out.WriteLineAsync($"{mark} {c.Kind} {c.Name}{fields}");
            }
            else
                await ctx.Out.WriteLineAsync($"{c.Action.ToString().ToLowerInvariant(),-10} {c.Kind} {c.Name}{fields}");
        }
    }

    /// <summary>
    /// On stderr, what apply did not do to the destinations (alter an existing table) or may not have meant (two modules
    /// writing one table), for the modules it saved.
    /// </summary>
    public static async Task WarnAsync(CliContext ctx, IReadOnlyList<ApplyChange> changes, CancellationToken ct)
    {
        var applied = changes.Where(c => c.Kind == "module" && c.Action != ApplyAction.Removed).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (applied.Count == 0) return;
        foreach (var warning in await (await ctx.GetAsync<DestinationCheck>(ct)).WarningsAsync(applied, ct))
            await ctx.Error.WriteLineAsync($"warning: {warning}");
    }

    public static string Summary(IReadOnlyList<ApplyChange> changes, bool dryRun)
    {
        int Count(ApplyAction a) => changes.Count(c => c.Action == a);
        return dryRun
            ? $"plan: {Count(ApplyAction.Created)} to create, {Count(ApplyAction.Updated)} to update, {Count(ApplyAction.Unchanged)} unchanged, {Count(ApplyAction.Removed)} to remove (dry run: nothing was written)"
            : $"applied: {Count(ApplyAction.Created)} created, {Count(ApplyAction.Updated)} updated, {Count(ApplyAction.Unchanged)} unchanged, {Count(ApplyAction.Removed)} removed";
    }
}
