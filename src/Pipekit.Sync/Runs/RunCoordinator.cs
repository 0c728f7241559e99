using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Notifications;
using Pipekit.Core.Secrets;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// The one way a module or group run starts, whoever asks: the CLI (which then waits for it in its own process), the
/// API (which returns the id at once) and the scheduler; only <c>triggered_by</c> differs. A start first clears stale
/// locks (owners that died on this host, or older than <c>[sync].stale_lock_hours</c>), then writes a <c>queued</c>
/// run_log (or group_run) row and returns its id; the run goes through <see cref="ModuleRunner"/> when one of
/// <c>[server].max_concurrent_runs</c> slots is free. Every run here can be cancelled by module or by group, and
/// <see cref="StopAsync"/> cancels them all: each ends <c>cancelled</c> with its lock released, a queued one without
/// ever starting.
/// </summary>
public sealed class RunCoordinator : IAsyncDisposable
{
    /// <summary>Meter of the run instruments (runs by status, duration, rows, running and queued).</summary>
    public const string MeterName = "Pipekit.Runs";

    private const string CancelledBeforeStart = "cancelled before it started";

    private readonly ModuleRepository _modules;
    private readonly GroupRepository _groups;
    private readonly GroupRunner _groupRunner;
    private readonly ModuleRunner _runner;
    private readonly RunLogRepository _runs;
    private readonly GroupRunRepository _groupRunLog;
    private readonly StaleLockSweeper _sweeper;
    private readonly CancelRequests? _cancelRequests;
    private readonly Notifier? _notifier;
    private readonly RunNotices _notices;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ModuleRunEntry> _moduleRuns = [];
    private readonly Dictionary<long, GroupRunEntry> _groupRuns = [];
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly string _owner = ProcessIdentity.Current().ToString();
    private readonly Counter<long>? _finished;
    private readonly Histogram<double>? _duration;
    private readonly Histogram<long>? _rows;
    private int _queued;
    private int _running;
    private bool _disposed;

    public RunCoordinator(ModuleRepository modules, GroupRepository groups, GroupRunner groupRunner, ModuleRunner runner, RunLogRepository runs,
        GroupRunRepository groupRuns, StaleLockSweeper sweeper, Redactor redactor, PipekitConfig config, TimeProvider time,
        ILogger<RunCoordinator>? logger = null, IMeterFactory? meters = null, CancelRequests? cancelRequests = null, Notifier? notifier = null)
    {
        _cancelRequests = cancelRequests;
        _notifier = notifier;
        _notices = new RunNotices(runs, groupRuns);
        _sweeper = sweeper;
        _redactor = redactor;
        _modules = modules;
        _groups = groups;
        _groupRunner = groupRunner;
        _runner = runner;
        _runs = runs;
        _groupRunLog = groupRuns;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _slots = new SemaphoreSlim(config.Server.MaxConcurrentRuns, config.Server.MaxConcurrentRuns);
        if (meters is not null)
        {
            var meter = meters.Create(MeterName);
            _finished = meter.CreateCounter<long>("pipekit_runs", description: "Module runs finished by this server, by status");
            _duration = meter.CreateHistogram<double>("pipekit_run_duration", unit: "s", description: "Module run duration from start to end");
            _rows = meter.CreateHistogram<long>("pipekit_run_rows", description: "Rows transferred per module run");
            meter.CreateObservableGauge("pipekit_runs_running", () => Volatile.Read(ref _running), description: "Module runs executing now");
            meter.CreateObservableGauge("pipekit_runs_queued", () => Volatile.Read(ref _queued), description: "Module runs waiting for a free slot");
        }
    }

    /// <summary>Module runs executing now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Module runs waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues a run of one module and returns its run id at once (the API's and the scheduler's way).</summary>
    public async Task<long> StartModuleRunAsync(long moduleId, string triggeredBy, bool dryRun, CancellationToken cancellationToken) =>
        (await StartModuleRunAsync(moduleId, new RunStart { TriggeredBy = triggeredBy, DryRun = dryRun }, cancellationToken)).RunId;

    /// <summary>
    /// Queues a run of one module: returns once its run_log row exists, with the run's id and its completion. A
    /// module that is locked, or already queued or running here, is a <see cref="RunConflictException"/>; the engine's
    /// lock still decides a race with another process.
    /// </summary>
    public async Task<StartedRun> StartModuleRunAsync(long moduleId, RunStart start, CancellationToken cancellationToken)
    {
        await _sweeper.SweepLocksAsync(cancellationToken);
        var module = await _modules.GetAsync(moduleId, cancellationToken) ?? throw new ModuleNotFoundException($"with id {moduleId}");
        var entry = new ModuleRunEntry(moduleId, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, start.Cancellation));
        if (module.Running || !await RegisterAsync(_moduleRuns, moduleId, entry, e => e.RunId, RunEndedAsync, cancellationToken))
        {
            entry.Cancellation.Dispose();
            throw new RunConflictException(module.Running
                ? LockHolder.AlreadyRunning(module.Name, module.LockOwner, module.LockedAt)
                : $"module '{module.Name}' is already running in this server; wait for it to end or stop it with 'pipekit cancel {module.Name}'");
        }
        try
        {
            entry.RunId = await _runs.StartAsync(moduleId, null, start.TriggeredBy, RunStatus.Queued, _owner, cancellationToken);
        }
        catch
        {
            Forget(entry);
            throw;
        }
        Interlocked.Increment(ref _queued);
        var completion = Track(async () =>
        {
            try
            {
                var result = await ExecuteAsync(entry, Options(start));
                _notifier?.Publish(ct => _notices.ModuleRunAsync(entry.RunId, ct));
                return result;
            }
            finally
            {
                Forget(entry);
            }
        });
        return new StartedRun(entry.RunId, completion);
    }

    /// <summary>Starts a run of a group and returns its group_run id at once (the API's and the scheduler's way).</summary>
    public async Task<long> StartGroupRunAsync(long groupId, string triggeredBy, bool dryRun, CancellationToken cancellationToken) =>
        (await StartGroupRunAsync(groupId, new RunStart { TriggeredBy = triggeredBy, DryRun = dryRun }, cancellationToken)).GroupRunId;

    /// <summary>
    /// Starts a run of a group: returns once its group_run row exists, with its id and its completion. Members queue for
    /// slots like any module run. A group already running here is a <see cref="RunConflictException"/>.
    /// </summary>
    public async Task<StartedGroupRun> StartGroupRunAsync(long groupId, RunStart start, CancellationToken cancellationToken)
    {
        await _sweeper.SweepLocksAsync(cancellationToken);
        var group = await _groups.GetAsync(groupId, cancellationToken) ?? throw new GroupNotFoundException($"with id {groupId}");
        var entry = new GroupRunEntry(groupId, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, start.Cancellation));
        if (!await RegisterAsync(_groupRuns, groupId, entry, e => e.GroupRunId, GroupRunEndedAsync, cancellationToken))
        {
            entry.Cancellation.Dispose();
            throw new RunConflictException($"group '{group.Name}' is already running");
        }
        try
        {
            entry.GroupRunId = await _groupRunner.StartAsync(groupId, start.TriggeredBy, cancellationToken);
        }
        catch
        {
            Forget(entry);
            throw;
        }
        var template = Options(start);
        var completion = Track(async () =>
        {
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(entry.Cancellation.Token);
            var watcher = WatchAsync(id => _cancelRequests!.TakeGroupRunAsync(id, watching.Token), entry.GroupRunId, entry.Cancellation, watching.Token);
            try
            {
                var result = await _groupRunner.RunAsync(groupId, entry.GroupRunId, template, start.MemberFinished,
                    (moduleId, options, _) => RunMemberAsync(entry, moduleId, options), start.OnlyModules, entry.Cancellation.Token);
                _logger.LogInformation("Group {GroupId} run {GroupRunId} ended {Status}", groupId, entry.GroupRunId, result.Status.ToText());
                return result;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Group {GroupId} run {GroupRunId} failed", groupId, entry.GroupRunId);
                throw;
            }
            finally
            {
                await watching.CancelAsync();
                await watcher;
                var groupRunId = entry.GroupRunId;
                _notifier?.Publish(ct => _notices.GroupRunAsync(groupRunId, ct));
                Forget(entry);
            }
        });
        return new StartedGroupRun(entry.GroupRunId, completion);
    }

    private static RunOptions Options(RunStart start) => new()
    {
        TriggeredBy = start.TriggeredBy, DryRun = start.DryRun, Progress = start.Progress, Phases = start.Phases, Warmup = start.Warmup,
    };

    /// <summary>Cancels this server's queued or running run of a module and returns its run id.</summary>
    public async Task<long> CancelModuleAsync(long moduleId, CancellationToken cancellationToken)
    {
        var module = await _modules.GetAsync(moduleId, cancellationToken) ?? throw new ModuleNotFoundException($"with id {moduleId}");
        ModuleRunEntry? entry;
        lock (_gate) _moduleRuns.TryGetValue(moduleId, out entry);
        if (entry is null || entry.RunId == 0)
        {
            // Held by a process on this host that is gone (kill -9, a crash): nothing can cancel that run any more, so the
            // cancel clears its lock and records the run as interrupted.
            if (module.Running && await _sweeper.ClearIfDeadAsync(moduleId, cancellationToken) is { } staleRun)
            {
                _logger.LogInformation("Run {RunId} of module {Module} was held by {Owner}, which is gone; its lock is cleared", staleRun, module.Name, module.LockOwner);
                return staleRun;
            }
            // Another process's run (a `pipekit run`, another node): the request goes through the state store, and that
            // process cancels its run when it next looks (within a second).
            var open = module.Running && _cancelRequests is not null
                ? (await _runs.ListAsync(new RunFilter { ModuleId = moduleId, Status = RunStatus.Running, Limit = 1, IncludeText = false }, cancellationToken)).FirstOrDefault()
                : null;
            if (open is null)
                throw new RunConflictException(module.Running
                    ? $"module '{module.Name}' is running in another process ({module.LockOwner}); cancel it there"
                    : $"module '{module.Name}' is not running");
            await _cancelRequests!.RequestRunAsync(open.Id, _owner, cancellationToken);
            _logger.LogInformation("Run {RunId} of module {Module} in another process asked to stop", open.Id, module.Name);
            return open.Id;
        }
        await CancelAsync(entry.Cancellation);
        _logger.LogInformation("Run {RunId} of module {Module} cancelled on request", entry.RunId, module.Name);
        return entry.RunId;
    }

    /// <summary>Cancels this server's run of a group (its running member and the members not yet run) and returns the group_run id.</summary>
    public async Task<long> CancelGroupAsync(long groupId, CancellationToken cancellationToken)
    {
        var group = await _groups.GetAsync(groupId, cancellationToken) ?? throw new GroupNotFoundException($"with id {groupId}");
        GroupRunEntry? entry;
        lock (_gate) _groupRuns.TryGetValue(groupId, out entry);
        if (entry is null || entry.GroupRunId == 0) throw new RunConflictException($"group '{group.Name}' is not running");
        await CancelAsync(entry.Cancellation);
        _logger.LogInformation("Group run {GroupRunId} of group {Group} cancelled on request", entry.GroupRunId, group.Name);
        return entry.GroupRunId;
    }

    /// <summary>
    /// Refuses new runs, cancels every queued and running one and waits until each has recorded its end and
    /// released its lock.
    /// </summary>
    public async Task StopAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
        }
        await _stopping.CancelAsync();
        // A run that failed has been logged and is its caller's to report; stopping only waits for it to end.
        while (!_background.IsEmpty)
            await Task.WhenAll(_background.Keys.ToArray()).ContinueWith(_ => { }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _stopping.Dispose();
        _slots.Dispose();
    }

    // The run may end (and its token source be disposed) between the lookup and the cancel; that is a finished run, not an error.
    private static async Task CancelAsync(CancellationTokenSource cancellation)
    {
        try
        {
            await cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<RunResult> RunMemberAsync(GroupRunEntry group, long moduleId, RunOptions options)
    {
        var entry = new ModuleRunEntry(moduleId, CancellationTokenSource.CreateLinkedTokenSource(group.Cancellation.Token));
        bool registered;
        lock (_gate) registered = _moduleRuns.TryAdd(moduleId, entry);
        try
        {
            // Not registered means the module is busy here already; the engine's lock refuses it and records why.
            entry.RunId = await _runs.StartAsync(moduleId, options.GroupRunId, options.TriggeredBy, RunStatus.Queued, _owner, CancellationToken.None);
            Interlocked.Increment(ref _queued);
            return await ExecuteAsync(entry, options);
        }
        finally
        {
            if (registered) Forget(entry);
            else entry.Cancellation.Dispose();
        }
    }

    // Waits for a slot, then runs the queued row through the engine. Whatever happens, the row ends finished.
    private async Task<RunResult> ExecuteAsync(ModuleRunEntry entry, RunOptions options)
    {
        var token = entry.Cancellation.Token;
        try
        {
            await _slots.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _queued);
            await _runs.FinishAsync(entry.RunId, new RunCompletion { Status = RunStatus.Cancelled, Error = CancelledBeforeStart });
            Record(RunStatus.Cancelled, TimeSpan.Zero, 0);
            return new RunResult(entry.RunId, RunStatus.Cancelled, 0, CancelledBeforeStart);
        }
        Interlocked.Decrement(ref _queued);
        Interlocked.Increment(ref _running);
        var started = _time.GetTimestamp();
        RunResult result;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(token);
        var watcher = WatchAsync(id => _cancelRequests!.TakeRunAsync(id, watching.Token), entry.RunId, entry.Cancellation, watching.Token);
        try
        {
            result = await _runner.RunAsync(entry.ModuleId, options with { QueuedRunId = entry.RunId }, token);
        }
        catch (Exception ex)
        {
            // The engine failed before it took the row over (cancelled while locking, module deleted, store error).
            var cancelled = ex is OperationCanceledException && token.IsCancellationRequested;
            var status = cancelled ? RunStatus.Cancelled : RunStatus.Error;
            var error = cancelled ? CancelledBeforeStart : _redactor.Redact(ex.Message);
            if (!cancelled) _logger.LogError(ex, "Run {RunId} of module {ModuleId} failed before it started", entry.RunId, entry.ModuleId);
            await FinishIfOpenAsync(entry.RunId, status, error);
            result = new RunResult(entry.RunId, status, 0, error);
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
        Record(result.Status, _time.GetElapsedTime(started), result.RowCount);
        return result;
    }

    /// <summary>
    /// Looks for a cancel request recorded in the state store (by <c>pipekit cancel</c> in another process) once a second
    /// while a run goes, and cancels the run when it finds one. Ends when <paramref name="stop"/> is cancelled.
    /// </summary>
    private async Task WatchAsync(Func<long, Task<bool>> requested, long id, CancellationTokenSource run, CancellationToken stop)
    {
        if (_cancelRequests is null) return;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(CancelRequests.PollInterval, _time, stop);
                if (!await requested(id)) continue;
                _logger.LogInformation("Run {Id} cancelled on a request recorded in the state store", id);
                await CancelAsync(run);
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            // A store that cannot be read now must not fail the run; the next poll tries again only if the run goes on.
            _logger.LogWarning("Looking for a cancel request of run {Id} failed: {Error}", id, ex.Message);
        }
    }

    private async Task FinishIfOpenAsync(long runId, RunStatus status, string error)
    {
        var run = await _runs.GetAsync(runId, CancellationToken.None);
        if (run is not null && !run.Status.IsFinished())
            await _runs.FinishAsync(runId, new RunCompletion { Status = status, Error = error });
    }

    private void Record(RunStatus status, TimeSpan duration, long rows)
    {
        var tag = new KeyValuePair<string, object?>("status", status.ToText());
        _finished?.Add(1, tag);
        _duration?.Record(duration.TotalSeconds, tag);
        _rows?.Record(rows, tag);
    }

    /// <summary>
    /// Makes <paramref name="entry"/> the run of <paramref name="key"/> here unless another run holds it. A run whose
    /// end is already recorded is only moments from leaving the table, and does not hold it: a client that saw the
    /// run finish and starts the next one at once must not get a conflict.
    /// </summary>
    private async Task<bool> RegisterAsync<TEntry>(Dictionary<long, TEntry> runs, long key, TEntry entry, Func<TEntry, long> rowId,
        Func<long, CancellationToken, Task<bool>> isFinished, CancellationToken cancellationToken) where TEntry : class
    {
        TEntry? current;
        lock (_gate)
        {
            ThrowIfStopping();
            if (runs.TryAdd(key, entry)) return true;
            current = runs[key];
        }
        if (rowId(current) == 0 || !await isFinished(rowId(current), cancellationToken)) return false;
        lock (_gate)
        {
            ThrowIfStopping();
            if (runs.TryGetValue(key, out var now) && !ReferenceEquals(now, current)) return false;
            runs[key] = entry;
            return true;
        }
    }

    private async Task<bool> RunEndedAsync(long runId, CancellationToken cancellationToken) =>
        (await _runs.GetAsync(runId, cancellationToken))?.Status.IsFinished() != false;

    private async Task<bool> GroupRunEndedAsync(long groupRunId, CancellationToken cancellationToken) =>
        await _groupRunLog.GetAsync(groupRunId, cancellationToken) is not { Status: RunStatus.Running };

    private void ThrowIfStopping()
    {
        if (_stopping.IsCancellationRequested) throw new RunConflictException("the server is shutting down; no new runs start");
    }

    // Background work runs without the caller's execution context: a request's scope and cancellation must not leak into a run.
    // The completion is observed here, so a failure nobody awaits (the API's runs) is logged, not an unobserved exception.
    private Task<T> Track<T>(Func<Task<T>> work)
    {
        Task<T> task;
        using (ExecutionContext.SuppressFlow())
            task = Task.Run(work);
        _background.TryAdd(task, 0);
        _ = task.ContinueWith(t =>
        {
            _ = t.Exception;
            _background.TryRemove(t, out _);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private void Forget(ModuleRunEntry entry)
    {
        lock (_gate)
        {
            if (_moduleRuns.TryGetValue(entry.ModuleId, out var current) && ReferenceEquals(current, entry))
                _moduleRuns.Remove(entry.ModuleId);
        }
        entry.Cancellation.Dispose();
    }

    private void Forget(GroupRunEntry entry)
    {
        lock (_gate)
        {
            if (_groupRuns.TryGetValue(entry.GroupId, out var current) && ReferenceEquals(current, entry))
                _groupRuns.Remove(entry.GroupId);
        }
        entry.Cancellation.Dispose();
    }

    private sealed class ModuleRunEntry(long moduleId, CancellationTokenSource cancellation)
    {
        public long ModuleId { get; } = moduleId;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public long RunId { get; set; }
    }

    private sealed class GroupRunEntry(long groupId, CancellationTokenSource cancellation)
    {
        public long GroupId { get; } = groupId;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public long GroupRunId { get; set; }
    }
}
