using System.Globalization;
using System.Threading.Channels;
using Pipekit.Core.Transfer;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Appends progress lines to <c>run_log.live_log</c> while a run goes. Reports arrive on the transfer's thread;
/// a single writer task drains them so the transfer never waits on the state database.
/// </summary>
internal sealed class LiveLog : IProgress<TransferProgress>, IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly IProgress<TransferProgress>? _forward;

    public LiveLog(RunLogRepository runs, long runId, IProgress<TransferProgress>? forward)
    {
        _forward = forward;
        _writer = Task.Run(async () =>
        {
            await foreach (var line in _lines.Reader.ReadAllAsync())
                await runs.AppendLiveLogAsync(runId, line, CancellationToken.None);
        });
    }

    public void Write(string line) => _lines.Writer.TryWrite(line);

    public void Report(TransferProgress value)
    {
        Write(string.Create(CultureInfo.InvariantCulture,
            $"{value.Rows:N0} rows, {value.RowsPerSecond:N0} rows/s, {value.Elapsed.TotalSeconds:0.0} s"));
        _forward?.Report(value);
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }
}
