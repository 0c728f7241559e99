using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.Notifications;

/// <summary>
/// Turns run ends into messages. A part calls <see cref="Publish"/> as a run ends; that only queues, so a run is never
/// slowed or failed by its notification. One background loop takes the queue in order: it records the outcome (the
/// next run's recovery and median read it), applies the target's rule and hands each message to its channels, whose
/// deliveries (with their retries) go on in the background. A delivery that fails is logged, redacted, and that is all.
/// </summary>
public sealed class Notifier : IAsyncDisposable
{
    /// <summary>How many of the last successful runs the median of a <c>long</c> rule takes.</summary>
    public const int MedianWindow = 20;

    /// <summary>A <c>long</c> rule needs this many earlier successful runs before it compares.</summary>
    public const int MedianMinimum = 3;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly NotificationRepository _repository;
    private readonly NotificationSettings _settings;
    private readonly NotificationDelivery _delivery;
    private readonly Redactor _redactor;
    private readonly ILogger<Notifier> _logger;
    private readonly Channel<Func<CancellationToken, Task<RunNotice?>>> _queue =
        Channel.CreateUnbounded<Func<CancellationToken, Task<RunNotice?>>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Task, byte> _deliveries = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private int _pending;
    private int _disposed;

    public Notifier(NotificationRepository repository, NotificationSettings settings, NotificationDelivery delivery, Redactor redactor, ILogger<Notifier> logger)
    {
        _repository = repository;
        _settings = settings;
        _delivery = delivery;
        _redactor = redactor;
        _logger = logger;
    }

    /// <summary>
    /// Queues a run's end. <paramref name="notice"/> is called on the notifier's loop (so reading the finished run costs
    /// the run nothing); it returns null when there is nothing to report (a dry run).
    /// </summary>
    public void Publish(Func<CancellationToken, Task<RunNotice?>> notice)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(notice))
        {
            Interlocked.Decrement(ref _pending);
            return;
        }
        lock (_gate)
        {
            if (_loop is null)
                using (ExecutionContext.SuppressFlow())
                    _loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>Waits until every queued run end is handled and every delivery has ended (tests, a CLI run before it exits).</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending) > 0 || !_deliveries.IsEmpty)
        {
            if (!_deliveries.IsEmpty) await Task.WhenAny(Task.WhenAll(_deliveries.Keys.ToArray()), Task.Delay(Timeout.Infinite, cancellationToken));
            else await Task.Delay(20, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Sends a message to the channels of a rule in the background (the late watch uses it).</summary>
    internal void Deliver(NotificationRule rule, IReadOnlyList<NotificationChannel> channels, NotificationMessage message)
    {
        foreach (var channel in NotificationSettings.ChannelsOf(rule, channels))
        {
            Task task;
            using (ExecutionContext.SuppressFlow())
                task = Task.Run(() => _delivery.SendAsync(channel, message, _stopping.Token));
            _deliveries.TryAdd(task, 0);
            _ = task.ContinueWith(t =>
            {
                if (t.Exception is { } ex)
                    _logger.LogWarning("Notification to channel {Channel} stopped: {Error}", channel.Name, _redactor.Redact(ex.InnerException?.Message));
                _deliveries.TryRemove(t, out _);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var next in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (await next(_stopping.Token) is { } notice) await HandleAsync(notice, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _logger.LogWarning("A run's notification was not handled: {Error}", _redactor.Redact(ex.Message));
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    /// <summary>Records the outcome and sends what the target's rule asks for.</summary>
    internal async Task HandleAsync(RunNotice notice, CancellationToken cancellationToken)
    {
        var previous = await _repository.LastOutcomeAsync(notice.TargetKind, notice.TargetName, cancellationToken);
        var durations = await _repository.RecentDurationsAsync(notice.TargetKind, notice.TargetName, MedianWindow, cancellationToken);
        await _repository.RecordRunAsync(notice, cancellationToken);

        var rule = NotificationSettings.Resolve(await _settings.RulesAsync(cancellationToken), notice.TargetKind, notice.TargetName);
        var message = Decide(rule, notice, previous, durations, _settings.BaseUrl);
        if (message is null) return;
        var channels = await _settings.ChannelsAsync(cancellationToken);
        Deliver(rule, channels, message with
        {
            Error = message.Error is null ? null : _redactor.Redact(message.Error),
            FailedMembers = message.FailedMembers.Select(f => f with { Error = f.Error is null ? null : _redactor.Redact(f.Error) }).ToList(),
        });
    }

    /// <summary>
    /// The message a run end sends under <paramref name="rule"/>, or null. A failure sends under <c>failure</c> or
    /// <c>always</c>; the first success after a failure under <c>recovery</c> or <c>always</c>; any other end under
    /// <c>always</c>. A run longer than <c>long_factor</c> times the median sends a <c>long</c> message when no status
    /// event does.
    /// </summary>
    internal static NotificationMessage? Decide(NotificationRule rule, RunNotice notice, NoticeStatus? previous, IReadOnlyList<long> durations, string baseUrl)
    {
        var on = rule.On;
        var recovered = notice.Status == NoticeStatus.Success && previous == NoticeStatus.Failure;
        string? @event = notice.Status switch
        {
            NoticeStatus.Failure when on.Contains(NotificationRule.OnFailure) || on.Contains(NotificationRule.OnAlways) => "failure",
            NoticeStatus.Success when recovered && (on.Contains(NotificationRule.OnRecovery) || on.Contains(NotificationRule.OnAlways)) => "recovery",
            NoticeStatus.Success when on.Contains(NotificationRule.OnAlways) => "success",
            NoticeStatus.Cancelled when on.Contains(NotificationRule.OnAlways) => "cancelled",
            _ => null,
        };
        double? median = durations.Count >= MedianMinimum ? Median(durations) / 1000.0 : null;
        var seconds = notice.Duration.TotalSeconds;
        if (@event is null && rule.LongFactor is { } factor && median is { } m && seconds > factor * m) @event = "long";
        if (@event is null) return null;
        return new NotificationMessage
        {
            Event = @event,
            TargetKind = notice.TargetKind,
            TargetName = notice.TargetName,
            RunId = notice.RunId,
            Status = notice.StatusText,
            Error = NotificationMessage.FirstLine(notice.Error),
            RowCount = notice.RowCount,
            DurationSeconds = Math.Round(seconds, 3),
            MedianSeconds = @event == "long" ? median : null,
            StartedAt = notice.StartedAt,
            FinishedAt = notice.FinishedAt,
            Link = baseUrl.TrimEnd('/') + notice.RunPath,
            FailedMembers = notice.FailedMembers.Select(f => f with { Error = NotificationMessage.FirstLine(f.Error) }).ToList(),
        };
    }

    private static double Median(IReadOnlyList<long> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /// <summary>Lets queued run ends and running deliveries finish (at most 30 s), then stops them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate) loop = _loop;
        using var drain = new CancellationTokenSource(DrainTimeout);
        try
        {
            if (loop is not null) await loop.WaitAsync(drain.Token);
            await Task.WhenAll(_deliveries.Keys.ToArray()).WaitAsync(drain.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            _logger.LogWarning("Notifications still being delivered after {Seconds} s were stopped", DrainTimeout.TotalSeconds);
        }
        catch (Exception)
        {
            // Each delivery logged its own failure.
        }
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }
}
