using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;
using Pipekit.Query.Results;

namespace Pipekit.Query.Engine;

/// <summary>
/// A running query's result, read forward so that nothing holds the whole result: one row at a time
/// (<see cref="Read"/>), or, for a query opened for Arrow, one record batch at a time straight from DuckDB's Arrow
/// export (<see cref="ReadBatchAsync"/>). Disposing it ends the query: the result, its connection, its admission slot
/// and its timeout go, and one log line records the duration, the row count and the SQL fingerprint (never the SQL).
/// </summary>
public sealed class QueryCursor : IAsyncDisposable, IDisposable
{
    private readonly QueryExecution _execution;
    private readonly DuckDBDataReader? _reader;
    private readonly IArrowArrayStream? _batches;
    private readonly ILogger _logger;
    private readonly Redactor _redactor;
    private int _disposed;

    internal QueryCursor(IReadOnlyList<ResultColumn> columns, string fingerprint, QueryExecution execution, DuckDBDataReader? reader,
        IArrowArrayStream? batches, ILogger logger, Redactor redactor)
    {
        Columns = columns;
        Fingerprint = fingerprint;
        _execution = execution;
        _reader = reader;
        _batches = batches;
        _logger = logger;
        _redactor = redactor;
    }

    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>A hash of the statement's shape without its literals; what logs show instead of the SQL.</summary>
    public string Fingerprint { get; }

    /// <summary>Rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Set when an encoder stopped early at the row cap.</summary>
    public bool Truncated { get; internal set; }

    /// <summary>Whether the query was opened for Arrow and is read in record batches.</summary>
    public bool IsBatched => _batches is not null;

    internal DuckDBDataReader Reader => _reader
        ?? throw new InvalidOperationException("this query was opened for Arrow; read it with ReadBatchAsync");

    /// <summary>The Arrow schema of DuckDB's own export, before Pipekit's types are applied (<see cref="ArrowTypes"/>).</summary>
    internal Schema NativeSchema => Batches.Schema;

    private IArrowArrayStream Batches => _batches
        ?? throw new InvalidOperationException("this query was opened for rows; open it with ResultFormat.Arrow to read record batches");

    /// <summary>
    /// Moves to the next row. A query interrupted by its timeout throws <see cref="QueryTimeoutException"/>; a
    /// DuckDB error while reading throws <see cref="QueryException"/> with the redacted message.
    /// </summary>
    public bool Read()
    {
        try
        {
            if (!Reader.Read()) return false;
            RowCount++;
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or DuckDBException)
        {
            throw Translate(e);
        }
    }

    /// <summary>
    /// The next record batch as DuckDB exported it (one DuckDB data chunk, up to 2,048 rows), or null at the end. The
    /// caller disposes it. Errors are translated as <see cref="Read"/> translates them. Rows are counted by the
    /// caller (<see cref="CountRows"/>), which may take only part of a batch.
    /// </summary>
    internal async ValueTask<RecordBatch?> ReadBatchAsync(CancellationToken cancellationToken)
    {
        // DuckDB.NET fetches the chunk on this thread: the token stops between batches, the timeout's interrupt within one.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await Batches.ReadNextRecordBatchAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or DuckDBException)
        {
            throw Translate(e);
        }
    }

    internal void CountRows(long rows) => RowCount += rows;

    internal Exception Translate(Exception e) => _execution.Translate(e, _redactor);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _reader?.Dispose();
        _batches?.Dispose();
        _execution.End();
        _logger.LogInformation("Query {Fingerprint} read {RowCount} rows in {DurationMs} ms{Truncated}", Fingerprint, RowCount,
            (long)_execution.Clock.Elapsed.TotalMilliseconds, Truncated ? " (truncated)" : "");
    }
}
