using System.Globalization;
using Pipekit.Core.State;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Cancel requests recorded in the state store, so a run can be stopped from another process (<c>pipekit cancel</c>
/// against a run of <c>pipekit serve</c> or of another <c>pipekit run</c>): the requester writes one row, and the process
/// that owns the run sees it within a second (<see cref="RunCoordinator"/> watches each of its runs) and cancels the run
/// as Ctrl-C would. The request lives in Core's <c>settings</c> table under <c>sync.cancel.run.{id}</c> or
/// <c>sync.cancel.group_run.{id}</c>, and is removed when it is honoured.
/// </summary>
public sealed class CancelRequests
{
    /// <summary>How often a running run looks for a request.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly SettingsRepository _settings;

    public CancelRequests(SettingsRepository settings)
    {
        _settings = settings;
    }

    public Task RequestRunAsync(long runId, string requester, CancellationToken cancellationToken) =>
        _settings.SetAsync(RunKey(runId), requester, cancellationToken);

    public Task RequestGroupRunAsync(long groupRunId, string requester, CancellationToken cancellationToken) =>
        _settings.SetAsync(GroupRunKey(groupRunId), requester, cancellationToken);

    /// <summary>True (and the request removed) when someone asked to cancel run <paramref name="runId"/>.</summary>
    internal Task<bool> TakeRunAsync(long runId, CancellationToken cancellationToken) => TakeAsync(RunKey(runId), cancellationToken);

    internal Task<bool> TakeGroupRunAsync(long groupRunId, CancellationToken cancellationToken) => TakeAsync(GroupRunKey(groupRunId), cancellationToken);

    /// <summary>Removes a request nobody will honour (the run ended first).</summary>
    public async Task ForgetRunAsync(long runId, CancellationToken cancellationToken) => await _settings.DeleteAsync(RunKey(runId), cancellationToken);

    public async Task ForgetGroupRunAsync(long groupRunId, CancellationToken cancellationToken) =>
        await _settings.DeleteAsync(GroupRunKey(groupRunId), cancellationToken);

    private async Task<bool> TakeAsync(string key, CancellationToken cancellationToken)
    {
        if (await _settings.GetAsync(key, cancellationToken) is null) return false;
        await _settings.DeleteAsync(key, cancellationToken);
        return true;
    }

    private static string RunKey(long runId) => string.Create(CultureInfo.InvariantCulture, $"sync.cancel.run.{runId}");

    private static string GroupRunKey(long groupRunId) => string.Create(CultureInfo.InvariantCulture, $"sync.cancel.group_run.{groupRunId}");
}
