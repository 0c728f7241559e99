namespace Pipekit.Core.Transfer;

/// <summary>
/// Receives a bulk writer's running row count as often as the writer likes and passes it on at most once a
/// second, measured on the injected clock, plus one final report.
/// </summary>
internal sealed class ProgressThrottle : IProgress<long>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly IProgress<TransferProgress>? _target;
    private readonly TimeProvider _time;
    private readonly long _started;
    private TimeSpan _lastReport;

    public ProgressThrottle(IProgress<TransferProgress>? target, TimeProvider time, long startedTimestamp)
    {
        _target = target;
        _time = time;
        _started = startedTimestamp;
    }

    public long Rows { get; private set; }

    public void Report(long value)
    {
        Rows = value;
        if (_target is null) return;
        var elapsed = _time.GetElapsedTime(_started);
        if (elapsed - _lastReport < Interval) return;
        _lastReport = elapsed;
        _target.Report(Progress(value, elapsed));
    }

    public TimeSpan Final(long rows)
    {
        Rows = rows;
        var elapsed = _time.GetElapsedTime(_started);
        _target?.Report(Progress(rows, elapsed));
        return elapsed;
    }

    private static TransferProgress Progress(long rows, TimeSpan elapsed) =>
        new(rows, elapsed > TimeSpan.Zero ? rows / elapsed.TotalSeconds : 0, elapsed);
}
