namespace Pipekit.Sync.Watermarks;

/// <summary>A watermark's resolver SQL failed; the message names the watermark.</summary>
public sealed class WatermarkException(string name, Exception inner)
    : Exception($"watermark '{name}': resolver failed: {inner.Message}", inner)
{
    public string Name { get; } = name;
}
