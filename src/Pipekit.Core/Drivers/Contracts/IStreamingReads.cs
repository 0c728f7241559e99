using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: a provider switch a command needs before it streams a large result instead of
/// materialising it (DuckDB.NET holds the whole result unless streaming mode is on, so a transfer's memory would
/// grow with its row count). Drivers whose providers always stream do not implement it.
/// </summary>
public interface IStreamingReads
{
    /// <summary>Sets <paramref name="command"/>, created on one of this driver's connections, to stream its result.</summary>
    void PrepareForStreaming(DbCommand command);
}
