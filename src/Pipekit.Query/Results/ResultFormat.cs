namespace Pipekit.Query.Results;

/// <summary>How a result is sent: the JSON envelope (seed-compatible), CSV, NDJSON or an Arrow IPC stream.</summary>
public enum ResultFormat
{
    Json,
    Csv,
    Ndjson,
    Arrow,
}
