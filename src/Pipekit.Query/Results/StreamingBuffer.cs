using System.Buffers;

namespace Pipekit.Query.Results;

/// <summary>
/// What the streaming encoders write into: a buffer sent to the output whenever it passes a threshold, so memory
/// stays flat however long the result is. Nothing is sent until the first threshold, so an error in the first rows
/// can still become an error status.
/// </summary>
internal sealed class StreamingBuffer(Stream output, int threshold = 64 * 1024)
{
    public ArrayBufferWriter<byte> Buffer { get; } = new(threshold + 16 * 1024);

    public async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (Buffer.WrittenCount >= threshold) await FlushAsync(cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Buffer.WrittenCount == 0) return;
        await output.WriteAsync(Buffer.WrittenMemory, cancellationToken);
        Buffer.ResetWrittenCount();
    }
}
