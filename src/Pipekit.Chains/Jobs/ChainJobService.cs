using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Nodes;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;
using Pipekit.Chains.Scripts;
using Pipekit.Chains.State;
using Pipekit.Chains.Webhooks;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// The job API's one service (the routes only parse and render): create, append, run, cancel, read. A job runs in
/// the background of the node that started it (its owner, recorded on the job with a heartbeat); its status, stage,
/// logs and result live in the store, so any node reads them. A cancel asked on another node is recorded on the job
/// and honoured by the owner, which polls for such requests while it runs jobs.
/// </summary>
public sealed partial class ChainJobService : IAsyncDisposable
{
    private const int MaxTimeoutMs = 24 * 3600 * 1000;

    /// <summary>How often the owner of running jobs looks for cancel requests from other nodes.</summary>
    public static readonly TimeSpan CancelPollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a cancel asked on another node waits for the owner to stop the job before answering.</summary>
    public static readonly TimeSpan RemoteCancelWait = TimeSpan.FromSeconds(15);

    private readonly ChainJobRepository _jobs;
    private readonly ChainRunner _runner;
    private readonly ChainEngines _engines;
    private readonly ChainsOptions _options;
    private readonly SecretStore _secrets;
    private readonly WebhookSender _webhooks;
    private readonly ChainMetrics _metrics;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger<ChainJobService> _logger;
    private readonly ChainNode _node;
    private readonly Lock _watchLock = new();
    private Task? _watch;
    private readonly ConcurrentDictionary<long, (CancellationTokenSource Cancel, Task Run)> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    internal ChainJobService(ChainJobRepository jobs, ChainRunner runner, ChainEngines engines, PipekitConfig config, SecretStore secrets,
        WebhookSender webhooks, ChainMetrics metrics, Redactor redactor, TimeProvider time, ILogger<ChainJobService> logger, ChainNode node)
    {
        _node = node;
        _jobs = jobs;
        _runner = runner;
        _engines = engines;
        _options = config.Chains;
        _secrets = secrets;
        _webhooks = webhooks;
        _metrics = metrics;
        _redactor = redactor;
        _time = time;
        _logger = logger;
    }

    public int Running => _running.Count;

    /// <summary>This node's id, as recorded on the jobs it runs.</summary>
    public string NodeId => _node.Id;

    public async Task<ChainJob> CreateAsync(ChainJobRequest request, CancellationToken cancellationToken)
    {
        var tree = ProjectTree.From(request.ProjectTree);
        var head = ProjectPath.Normalize(request.HeadPath);
        var plan = request.DeferRun ? null : ChainOrder.Plan(tree, head);
        foreach (var name in request.Variables.Keys)
            if (!VariableName().IsMatch(name)) throw new ChainInputException($"variable '{name}' is not a name (letters, digits and '_', not starting with a digit)");
        if (request.TimeoutMs is < 1 or > MaxTimeoutMs) throw new ChainInputException($"timeout_ms must be between 1 and {MaxTimeoutMs}");
        if (request.JobTtl is < 1) throw new ChainInputException("job_ttl must be a positive number of seconds");
        if (request.SnapshotTtl is < 1) throw new ChainInputException("snapshot_ttl must be a positive number of seconds");
        if (request.Engine?.Contains("://", StringComparison.Ordinal) == true)
            throw new ChainInputException("a job names its engine (postgres, duckdb or sqlite); the PostgreSQL server is [chains].postgres");
        var engine = _engines.Validate(request.Engine);
        if (request.WebhookUrl is { } hook)
        {
            if (!Uri.TryCreate(hook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ChainInputException("webhook_url must be an absolute http:// or https:// URL");
            if (_options.WebhookSecret is null)
                throw new ChainInputException("webhook_url needs a signing secret: set [chains].webhook_secret to a $NAME secret reference");
        }

        var now = _time.GetUtcNow();
        var ttl = request.JobTtl ?? _options.JobTtl;
        // A job that starts at once is stored already claimed by this node: one write, not two.
        var job = await _jobs.CreateAsync(new ChainJob
        {
            RequestId = request.RequestId,
            UserId = request.UserId,
            Status = ChainStages.Pending,
            Engine = engine,
            HeadPath = head,
            Variables = request.Variables,
            TimeoutMs = request.TimeoutMs,
            JobTtl = ttl,
            SnapshotTtl = request.SnapshotTtl,
            WebhookUrl = request.WebhookUrl,
            TelemetryContext = request.TelemetryContext,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(ttl),
            KeepInstance = request.KeepInstance,
            StartedAt = plan is null ? null : now,
            Owner = plan is null ? null : _node.Id,
        }, tree, $"job created with {tree.Count} file(s), head {head}" + (request.RequestId is null ? "" : $", request_id {request.RequestId}")
            + (request.KeepInstance ? ", keeping its instance" : ""), cancellationToken);
        if (plan is not null) Launch(job, plan);
        return await GetAsync(job.Id, cancellationToken);
    }

    public async Task<ChainJob> AppendAsync(long id, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var tree = ProjectTree.From(files);
        if (tree.Count == 0) throw new ChainInputException("project_tree is empty; append at least one file");
        await _jobs.AppendAsync(id, tree, cancellationToken);
        await _jobs.AppendLogAsync(id, _time.GetUtcNow(), $"appended {tree.Count} file(s)", cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Starts a job assembled in parts; its tree must now hold the head.</summary>
    public async Task<ChainJob> RunAsync(long id, CancellationToken cancellationToken)
    {
        var job = await GetAsync(id, cancellationToken);
        if (job.Status != ChainStages.Pending || job.StartedAt is not null)
            throw new ChainJobConflictException($"job {id} has already been started (status {job.Status})");
        var plan = ChainOrder.Plan(await _jobs.FilesAsync(id, cancellationToken), job.HeadPath);
        if (!await _jobs.TryStartAsync(id, _time.GetUtcNow(), _node.Id, cancellationToken))
            throw new ChainJobConflictException($"job {id} has already been started");
        Launch(job, plan);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<ChainJob> GetAsync(long id, CancellationToken cancellationToken) =>
        await _jobs.GetAsync(id, cancellationToken) ?? throw new ChainJobNotFoundException(id);

    /// <summary>The job's project tree as stored (what it runs, or will run once started).</summary>
    public async Task<ProjectTree> FilesAsync(long id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken);
        return await _jobs.FilesAsync(id, cancellationToken);
    }

    public Task<IReadOnlyList<ChainJob>> ListAsync(string? status, int limit, CancellationToken cancellationToken) =>
        _jobs.ListAsync(status, Math.Clamp(limit, 1, 1000), cancellationToken);

    public async Task<IReadOnlyList<ChainJobLogEntry>> LogsAsync(long id, long after, int limit, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken);
        return await _jobs.LogsAsync(id, Math.Max(0, after), Math.Clamp(limit, 1, 10_000), cancellationToken);
    }

    /// <summary>
    /// Cancels a job: an unstarted one ends at once; one running here has its statement cancelled and its instance
    /// dropped (layers already published stay); one running on another node gets a cancel request recorded on it,
    /// which that node honours within <see cref="CancelPollInterval"/> (this waits up to <see cref="RemoteCancelWait"/>
    /// and answers with the job as it then is); one whose node stopped (its lease lapsed) is marked canceled here.
    /// A job that already ended is a conflict.
    /// </summary>
    public async Task<ChainJob> CancelAsync(long id, CancellationToken cancellationToken)
    {
        var job = await GetAsync(id, cancellationToken);
        if (job.IsTerminal) throw new ChainJobConflictException($"job {id} has already ended (status {job.Status})");
        if (_running.TryGetValue(id, out var running))
        {
            await running.Cancel.CancelAsync();
            await running.Run.WaitAsync(cancellationToken);
            return await GetAsync(id, cancellationToken);
        }
        if (job.StartedAt is null && await _jobs.CancelUnstartedAsync(id, _time.GetUtcNow(), cancellationToken))
        {
            await EndedElsewhereAsync(id, "canceled", cancellationToken);
            return await GetAsync(id, cancellationToken);
        }
        job = await GetAsync(id, cancellationToken);
        if (job.IsTerminal) return job;
        if (job.Owner != _node.Id && _node.IsLapsed(job.Owner, job.HeartbeatAt, _time.GetUtcNow()))
        {
            if (await _jobs.FinishAsync(id, ChainStages.Canceled, _time.GetUtcNow(), null, job.Stages,
                    new ChainJobError("canceled; the server that ran it had stopped", null, null, null), cancellationToken))
                await EndedElsewhereAsync(id, "canceled (the server that ran it had stopped)", cancellationToken);
            return await GetAsync(id, cancellationToken);
        }
        if (await _jobs.RequestCancelAsync(id, _time.GetUtcNow(), cancellationToken))
            await _jobs.AppendLogAsync(id, _time.GetUtcNow(), "cancel requested; the server running the job stops it", cancellationToken);
        var waited = Stopwatch.StartNew();
        while (!job.IsTerminal && waited.Elapsed < RemoteCancelWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            job = await GetAsync(id, cancellationToken);
        }
        return job;
    }

    private async Task EndedElsewhereAsync(long id, string line, CancellationToken cancellationToken)
    {
        _metrics.JobFinished(ChainStages.Canceled);
        await _jobs.AppendLogAsync(id, _time.GetUtcNow(), line, cancellationToken);
        Notify(await GetAsync(id, cancellationToken));
    }

    /// <summary>Runs a job this node has claimed, in the background.</summary>
    private void Launch(ChainJob job, ChainPlan plan)
    {
        EnsureWatching();
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                await ExecuteAsync(job, plan, cancel.Token);
            }
            finally
            {
                _running.TryRemove(job.Id, out _);
                cancel.Dispose();
            }
        }, CancellationToken.None);
        _running[job.Id] = (cancel, run);
        started.SetResult();
    }

    private void EnsureWatching()
    {
        lock (_watchLock) _watch ??= Task.Run(WatchAsync);
    }

    /// <summary>
    /// While this node runs jobs: every <see cref="CancelPollInterval"/> honours cancel requests recorded by other
    /// nodes, and every <see cref="ChainNode.HeartbeatInterval"/> renews the jobs' heartbeat so no node takes them over.
    /// </summary>
    private async Task WatchAsync()
    {
        var beat = Stopwatch.StartNew();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CancelPollInterval, _stopping.Token);
                if (_running.IsEmpty) continue;
                foreach (var id in await _jobs.CancelRequestsAsync(_node.Id, _stopping.Token))
                {
                    if (!_running.TryGetValue(id, out var running)) continue;
                    _logger.LogInformation("Chain job {JobId} cancelled on a request from another server", id);
                    await running.Cancel.CancelAsync();
                }
                if (beat.Elapsed >= ChainNode.HeartbeatInterval)
                {
                    await _jobs.HeartbeatAsync(_node.Id, _time.GetUtcNow(), _stopping.Token);
                    beat.Restart();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store that cannot be read now must not fail the jobs; the next round tries again.
                _logger.LogWarning("Chains: looking for cancel requests or renewing job heartbeats failed: {Error}", ex.Message);
            }
        }
    }

    private async Task ExecuteAsync(ChainJob job, ChainPlan plan, CancellationToken cancellationToken)
    {
        var id = job.Id;
        var observer = new JobObserver(id, _jobs, _time, _logger);
        var clock = Stopwatch.StartNew();
        List<StageTiming> stages = [];
        ChainRunOutcome? outcome = null;
        ChainJobError? error = null;
        string status;
        try
        {
            await observer.StageAsync(ChainStages.Parsing, CancellationToken.None);
            stages.Add(new StageTiming(ChainStages.Parsing, clock.ElapsedMilliseconds));
            await observer.LogAsync($"chain of {plan.Steps.Count} step(s); tail {plan.Tail.Count}, head {plan.Head.Path}", CancellationToken.None);
            outcome = await _runner.RunAsync(new ChainRunRequest(plan, job.Engine, job.Variables, job.TimeoutMs, PostgresChainEngine.InstancePrefix + id,
                job.KeepInstance), observer, cancellationToken);
            stages.AddRange(outcome.Stages);
            status = ChainStages.Completed;
            if (outcome.Kept is { } kept)
                await observer.LogAsync($"instance {Path.GetFileNameWithoutExtension(kept.Name)} kept until {_time.GetUtcNow().AddSeconds(job.SnapshotTtl ?? _options.SnapshotTtl):u}: {kept.Connect}",
                    CancellationToken.None);
            await observer.LogAsync($"completed in {clock.ElapsedMilliseconds} ms (snapshot {(outcome.Tail.Hit ? "hit" : "miss")})", CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = ChainStages.Canceled;
            error = new ChainJobError(_stopping.IsCancellationRequested ? "canceled: the server is stopping" : "canceled", null, null, null);
            await observer.LogAsync(error.Message, CancellationToken.None);
        }
        catch (ChainTimeoutException ex)
        {
            status = ChainStages.Failed;
            error = new ChainJobError(ex.Message, "57014", (ex.InnerException as ChainStepException)?.Path, (ex.InnerException as ChainStepException)?.Line);
            await observer.LogAsync("timeout: " + ex.Message, CancellationToken.None);
        }
        catch (ChainStepException ex)
        {
            status = ChainStages.Failed;
            error = new ChainJobError(_redactor.Redact(ex.EngineMessage), ex.SqlState, ex.Path, ex.Line);
            await observer.LogAsync($"failed at {ex.Path}:{ex.Line}: {error.Message}", CancellationToken.None);
        }
        catch (Core.Errors.PipekitException ex)
        {
            status = ChainStages.Failed;
            error = new ChainJobError(_redactor.Redact(ex.Message), null, null, null);
            await observer.LogAsync("failed: " + error.Message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Chain job {JobId} failed unexpectedly", id);
            status = ChainStages.Failed;
            error = new ChainJobError(_redactor.Redact(ex.Message), (ex as System.Data.Common.DbException)?.SqlState, null, null);
            await observer.LogAsync("failed: " + error.Message, CancellationToken.None);
        }

        await observer.FlushAsync();
        var finishedAt = _time.GetUtcNow();
        await _jobs.FinishAsync(id, status, finishedAt, outcome, stages, error, CancellationToken.None,
            keptUntil: finishedAt.AddSeconds(job.SnapshotTtl ?? _options.SnapshotTtl));
        _metrics.JobFinished(error?.SqlState == "57014" && status == ChainStages.Failed ? "timed_out" : status);
        if (job.WebhookUrl is not null) Notify((await _jobs.GetAsync(id, CancellationToken.None))!);
    }

    /// <summary>Sends the webhook in the background; a slow receiver never holds a job open.</summary>
    private void Notify(ChainJob job)
    {
        if (job.WebhookUrl is null || _options.WebhookSecret is null) return;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            job_id = job.Id,
            request_id = job.RequestId,
            status = job.Status,
            tail_hash = job.TailHash,
            cache_hit = job.CacheHit,
            error = job.Error is null ? null : new { message = job.Error.Message, sqlstate = job.Error.SqlState, path = job.Error.Path, line = job.Error.Line },
            finished_at = job.FinishedAt,
        });
        string secret;
        try
        {
            secret = _secrets.ResolveReference("chains", _options.WebhookSecret);
        }
        catch (SecretsException ex)
        {
            _logger.LogWarning("Webhook for job {JobId} not sent: {Error}", job.Id, ex.Message);
            return;
        }
        var url = new Uri(job.WebhookUrl);
        _ = Task.Run(async () =>
        {
            try
            {
                var attempts = await _webhooks.SendAsync(url, body, secret, _stopping.Token);
                await _jobs.AppendLogAsync(job.Id, _time.GetUtcNow(),
                    attempts > 0 ? $"webhook delivered to {url.Host} (attempt {attempts})" : $"webhook to {url.Host} not delivered after {WebhookSender.Attempts} attempts",
                    CancellationToken.None);
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Webhook for job {JobId} stopped: {Error}", job.Id, ex.Message);
            }
        });
    }

    /// <summary>
    /// Marks as failed the jobs whose server stopped: their owner's heartbeat lapsed, or it is a process on this host
    /// that is gone (server start, and every GC pass). Jobs of live servers are not touched.
    /// </summary>
    public Task<int> FailInterruptedAsync(CancellationToken cancellationToken) => _jobs.FailLapsedAsync(_node, _time.GetUtcNow(), cancellationToken);

    /// <summary>Cancels every running job and waits until each has recorded its end (server shutdown).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values.Select(r => r.Run));
        Task? watch;
        lock (_watchLock) watch = _watch;
        if (watch is not null) await watch;
        await _runner.DrainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex VariableName();
}
