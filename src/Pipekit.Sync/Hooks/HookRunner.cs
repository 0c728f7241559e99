using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Hooks;

/// <summary>
/// Runs a module's hooks in <c>run_order</c> after the merge, honouring <c>run_on</c>. A failing hook is logged
/// and the next one still runs; nothing here can undo the merge, which is already committed.
/// </summary>
public sealed class HookRunner
{
    private readonly ConnectionFactory _connections;

    public HookRunner(ConnectionFactory connections)
    {
        _connections = connections;
    }

    /// <summary>Whether a hook fires for a run that ended in success (<paramref name="succeeded"/>) or failure.</summary>
    public static bool Fires(HookRunOn runOn, bool succeeded) => runOn switch
    {
        HookRunOn.Always => true,
        HookRunOn.Success => succeeded,
        HookRunOn.Failure => !succeeded,
        _ => false,
    };

    public async Task<HookOutcome> RunAsync(Module module, bool succeeded, IReadOnlyDictionary<long, ConnectionRecord> connections,
        CancellationToken cancellationToken)
    {
        var log = new StringBuilder();
        var failed = false;
        foreach (var hook in module.Hooks.OrderBy(h => h.RunOrder).ThenBy(h => h.Id))
        {
            if (!Fires(hook.RunOn, succeeded))
            {
                log.AppendLine(CultureInfo.InvariantCulture, $"hook {hook.RunOrder} ({hook.RunOn.ToString().ToLowerInvariant()}): skipped");
                continue;
            }
            var clock = Stopwatch.StartNew();
            try
            {
                await using var open = await _connections.OpenAsync(connections[hook.ConnectionId], module.Project, cancellationToken);
                await using var command = open.Command(hook.Sql);
                var affected = await command.ExecuteNonQueryAsync(cancellationToken);
                log.AppendLine(CultureInfo.InvariantCulture,
                    $"hook {hook.RunOrder} ({hook.RunOn.ToString().ToLowerInvariant()}) on {open.Record.Name}: ok, {affected} row(s), {clock.ElapsedMilliseconds} ms");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                log.AppendLine(CultureInfo.InvariantCulture,
                    $"hook {hook.RunOrder} ({hook.RunOn.ToString().ToLowerInvariant()}): FAILED after {clock.ElapsedMilliseconds} ms: {ex.Message}");
            }
        }
        return new HookOutcome(log.ToString(), failed);
    }
}

/// <summary>What the hooks of a run did: their log and whether any failed.</summary>
public sealed record HookOutcome(string Log, bool Failed);
