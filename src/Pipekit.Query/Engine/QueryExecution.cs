using System.Diagnostics;
using DuckDB.NET.Data;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.Engine;

/// <summary>
/// What one running query holds: its admission slot, its connection (lent by its database), its command, and the
/// timeout that interrupts it. <see cref="End"/> gives each back: the connection returns to its database's idle
/// connections only when nothing went wrong, so a failed, timed-out or cancelled query never hands on its connection.
/// </summary>
internal sealed class QueryExecution(QueryDatabase database, DuckDBConnection connection, DuckDBCommand command, IDisposable slot,
    CancellationTokenSource timeout, CancellationTokenRegistration interrupt, Stopwatch clock, TimeSpan limit, CancellationToken caller)
{
    private bool _failed;

    public Stopwatch Clock => clock;

    /// <summary>
    /// The exception a caller sees for an error while reading: <see cref="QueryTimeoutException"/> when the timeout
    /// interrupted the query, <see cref="QueryException"/> with the redacted message for a DuckDB error. The
    /// connection is then not reused.
    /// </summary>
    public Exception Translate(Exception e, Redactor redactor)
    {
        _failed = true;
        return timeout.IsCancellationRequested && !caller.IsCancellationRequested && e is OperationCanceledException or DuckDBException
            ? new QueryTimeoutException(limit)
            : e is DuckDBException db ? new QueryException(QueryEngine.Message(db, redactor))
            : e;
    }

    /// <summary>Called once the result (reader or batch stream) is disposed.</summary>
    public void End()
    {
        interrupt.Dispose();
        command.Dispose();
        // After the registration is gone no interrupt can reach the connection; one that fired already shows here.
        database.Return(connection, clean: !_failed && !timeout.IsCancellationRequested);
        timeout.Dispose();
        slot.Dispose();
    }
}
