using Pipekit.Core.Transfer;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>Records reports synchronously, on the reporting thread (unlike <see cref="Progress{T}"/>), and can act on each.</summary>
internal sealed class RecordingProgress(Action<TransferProgress>? onReport = null) : IProgress<TransferProgress>
{
    public List<TransferProgress> Reports { get; } = [];

    public void Report(TransferProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
