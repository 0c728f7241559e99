using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Pipekit.Query.Results;

namespace Pipekit.Query.Engine;

/// <summary>
/// A running query's result, read forward one row at a time so that nothing holds the whole result. Disposing it
/// ends the query: the reader, its connection, its admission slot and its timeout go, and one log line records the
/// duration, the row count and the SQL fingerprint (never the SQL).
/// </summary>
public sealed class QueryCursor : IAsyncDisposable, IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly DuckDBCommand _command;
    private readonly DuckDBDataReader _reader;
    private readonly IDisposable _slot;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenRegistration _interrupt;
    private readonly Stopwatch _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan _limit;
    private readonly CancellationToken _caller;
    private readonly Core.Secrets.Redactor _redactor;
    private int _disposed;

    internal QueryCursor(IReadOnlyList<ResultColumn> columns, string fingerprint, DuckDBConnection connection, DuckDBCommand command,
        DuckDBDataReader reader, IDisposable slot, CancellationTokenSource timeout, CancellationTokenRegistration interrupt, Stopwatch clock,
        ILogger logger, TimeSpan limit, CancellationToken caller, Core.Secrets.Redactor redactor)
    {
        Columns = columns;
        Fingerprint = fingerprint;
        _connection = connection;
        _command = command;
        _reader = reader;
        _slot = slot;
        _timeout = timeout;
        _interrupt = interrupt;
        _clock = clock;
        _logger = logger;
        _limit = limit;
        _caller = caller;
        _redactor = redactor;
    }

    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>A hash of the statement's shape without its literals; what logs show instead of the SQL.</summary>
    public string Fingerprint { get; }

    /// <summary>Rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Set when an encoder stopped early at the row cap.</summary>
    public bool Truncated { get; internal set; }

    internal DuckDBDataReader Reader => _reader;

    /// <summary>
    /// Moves to the next row. A query interrupted by its timeout throws <see cref="QueryTimeoutException"/>; a
    /// DuckDB error while reading throws <see cref="QueryException"/> with the redacted message.
    /// </summary>
    public bool Read()
    {
        try
        {
            if (!_reader.Read()) return false;
            RowCount++;
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or DuckDBException)
        {
            throw Translate(e);
        }
    }

    internal Exception Translate(Exception e) =>
        _timeout.IsCancellationRequested && !_caller.IsCancellationRequested && e is OperationCanceledException or DuckDBException ? new QueryTimeoutException(_limit)
        : e is DuckDBException db ? new QueryException(QueryEngine.Message(db, _redactor))
        : e;

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _interrupt.Dispose();
        _reader.Dispose();
        _command.Dispose();
        _connection.Dispose();
        _timeout.Dispose();
        _slot.Dispose();
        _logger.LogInformation("Query {Fingerprint} read {RowCount} rows in {DurationMs} ms{Truncated}", Fingerprint, RowCount,
            (long)_clock.Elapsed.TotalMilliseconds, Truncated ? " (truncated)" : "");
    }
}
