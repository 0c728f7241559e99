using Pipekit.Core.Errors;

namespace Pipekit.Sync.Watermarks;

/// <summary>A watermark could not produce a value; the message names the watermark.</summary>
public sealed class WatermarkException : CannotDoHereException
{
    public WatermarkException(string name, Exception inner)
        : base($"watermark '{name}': resolver failed: {inner.Message}", inner)
    {
        Name = name;
    }

    public WatermarkException(string name, string problem)
        : base($"watermark '{name}' {problem}")
    {
        Name = name;
    }

    public string Name { get; }
}
