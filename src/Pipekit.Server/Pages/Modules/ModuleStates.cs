using Microsoft.AspNetCore.Html;
using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>A module's <see cref="ModuleState"/>, its query value and how a page writes it (glyph and word).</summary>
internal static class ModuleStates
{
    /// <summary>The states in the order the dashboard's counts and the filter list them: what needs attention first.</summary>
    public static readonly IReadOnlyList<ModuleState> All =
        [ModuleState.Failing, ModuleState.Running, ModuleState.NeverRun, ModuleState.Cancelled, ModuleState.Succeeded, ModuleState.DryRun, ModuleState.Disabled];

    public static ModuleState Of(ModuleStatus m) => !m.Enabled
        ? ModuleState.Disabled
        : m.Last?.Status switch
        {
            null => ModuleState.NeverRun,
            RunStatus.Error => ModuleState.Failing,
            RunStatus.Running or RunStatus.Queued => ModuleState.Running,
            RunStatus.Cancelled => ModuleState.Cancelled,
            RunStatus.DryRun => ModuleState.DryRun,
            _ => ModuleState.Succeeded,
        };

    /// <summary>The <c>state</c> query value.</summary>
    public static string Key(ModuleState s) => s switch
    {
        ModuleState.Failing => "failing",
        ModuleState.Running => "running",
        ModuleState.Succeeded => "succeeded",
        ModuleState.DryRun => "dry_run",
        ModuleState.Cancelled => "cancelled",
        ModuleState.NeverRun => "never_run",
        _ => "disabled",
    };

    public static bool TryParse(string? key, out ModuleState state)
    {
        foreach (var s in All)
        {
            if (string.Equals(Key(s), key, StringComparison.Ordinal))
            {
                state = s;
                return true;
            }
        }
        state = default;
        return false;
    }

    /// <summary>The words after a count ("3 failing", "12 never run").</summary>
    public static string Word(ModuleState s) => s switch
    {
        ModuleState.Failing => "failing",
        ModuleState.Running => "running or queued",
        ModuleState.Succeeded => "succeeded",
        ModuleState.DryRun => "dry run",
        ModuleState.Cancelled => "cancelled",
        ModuleState.NeverRun => "never run",
        _ => "disabled",
    };

    /// <summary>The status mark, with the same glyph and colour as a run's status.</summary>
    public static IHtmlContent Mark(ModuleState s) => s switch
    {
        ModuleState.Failing => Show.Status(RunStatus.Error),
        ModuleState.Running => Show.Status(RunStatus.Running),
        ModuleState.Succeeded => Show.Status(RunStatus.Success),
        ModuleState.DryRun => Show.Status(RunStatus.DryRun),
        ModuleState.Cancelled => Show.Status(RunStatus.Cancelled),
        ModuleState.NeverRun => Show.NeverRun(),
        _ => Show.Disabled(),
    };

    /// <summary>The glyph alone, for a count ("✗ 20 failing").</summary>
    public static string Glyph(ModuleState s) => s switch
    {
        ModuleState.Failing => Show.Glyph(RunStatus.Error),
        ModuleState.Running => Show.Glyph(RunStatus.Running),
        ModuleState.Succeeded => Show.Glyph(RunStatus.Success),
        ModuleState.DryRun => Show.Glyph(RunStatus.DryRun),
        ModuleState.Cancelled => Show.Glyph(RunStatus.Cancelled),
        ModuleState.NeverRun => "·",
        _ => "○",
    };

    /// <summary>The CSS class of the state's colour (the run status classes, and the two of their own).</summary>
    public static string CssClass(ModuleState s) => s switch
    {
        ModuleState.Failing => "st-error",
        ModuleState.Running => "st-running",
        ModuleState.Succeeded => "st-success",
        ModuleState.DryRun => "st-dry_run",
        ModuleState.Cancelled => "st-cancelled",
        ModuleState.NeverRun => "st-never",
        _ => "st-disabled",
    };
}
