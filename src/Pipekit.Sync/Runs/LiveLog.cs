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
            // Lines that queued up while the previous write ran go out in one UPDATE.
            var reader = _lines.Reader;
            while (await reader.WaitToReadAsync())
            {
                var batch = new List<string>();
                while (reader.TryRead(out var line)) batch.Add(line);
                await runs.AppendLiveLogAsync(runId, string.Join('\n', batch), CancellationToken.None);
            }
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
