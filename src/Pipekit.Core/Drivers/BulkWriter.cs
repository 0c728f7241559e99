using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The one state machine of every bulk writer: <c>Ready → Writing → Completed | Cancelled | Disposed</c>.
/// <see cref="WriteAsync"/> begins the writer's own transaction and streams the rows (a later call appends more
/// rows to the same load); <see cref="CompleteAsync"/> finishes the engine's load and commits. A write or completion that fails or is cancelled rolls the transaction
/// back at once (Cancelled), and disposing a writer that was not completed rolls back too, so nothing of a failed
/// load is ever kept. An engine supplies how rows go in and what must happen before a commit or a rollback.
/// </summary>
internal abstract class BulkWriter : IBulkWriter
{
    private readonly DbConnection _connection;
    private DbTransaction? _transaction;
    private State _state = State.Ready;

    protected BulkWriter(DbConnection connection, BulkWriteTarget target)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        _connection = connection;
        Target = target;
    }

    private enum State { Ready, Writing, Completed, Cancelled, Disposed }

    protected BulkWriteTarget Target { get; }

    /// <summary>The writer's transaction, begun by <see cref="WriteAsync"/> before the first row.</summary>
    protected DbTransaction Transaction =>
        _transaction ?? throw new InvalidOperationException("the bulk writer's transaction begins with WriteAsync");

    public async Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_state != State.Writing) ThrowUnless(State.Ready, "write");
        _state = State.Writing;
        try
        {
            _transaction ??= Target.Transaction ?? await BeginTransactionAsync(_connection, cancellationToken);
            return await WriteRowsAsync(source, rowsWritten, cancellationToken);
        }
        catch
        {
            await CancelAsync();
            throw;
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_state == State.Ready)
        {
            // nothing was written, so there is nothing to commit
            _state = State.Completed;
            return;
        }
        ThrowUnless(State.Writing, "complete");
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await FinishRowsAsync(cancellationToken);
            // The caller's transaction is the caller's to commit, with whatever else it holds.
            if (Target.Transaction is null) await Transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await CancelAsync();
            throw;
        }
        _state = State.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed) return;
        if (_state == State.Writing) await CancelAsync();
        _state = State.Disposed;
        try
        {
            await ReleaseAsync();
        }
        finally
        {
            if (_transaction is not null && Target.Transaction is null) await _transaction.DisposeAsync();
        }
    }

    /// <summary>Begins the transaction the rows go into.</summary>
    protected virtual async Task<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    /// <summary>
    /// Writes every row of <paramref name="source"/> in <see cref="Transaction"/>; returns the rows of this call. A second
    /// call appends to the same load.
    /// </summary>
    protected abstract Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken);

    /// <summary>Ends the engine's load before the commit (closes a COPY or an appender; moves rows out of a temp table).</summary>
    protected virtual Task FinishRowsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Abandons an unfinished load before the rollback (cancels a COPY, drops an appender's buffer). It must not throw:
    /// the connection may already be broken, and the rollback follows regardless.
    /// </summary>
    protected virtual ValueTask AbandonRowsAsync() => ValueTask.CompletedTask;

    /// <summary>Frees what the engine's load holds (prepared statements); runs once, on dispose.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    private async ValueTask CancelAsync()
    {
        _state = State.Cancelled;
        await AbandonRowsAsync();
        // In the caller's transaction, the caller rolls back (its own statements with the rows).
        if (_transaction is null || Target.Transaction is not null) return;
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            // The connection broke mid-write, or the server already ended the transaction after a failed load;
            // either way nothing of it is committed.
        }
    }

    private void ThrowUnless(State expected, string action)
    {
        if (_state == expected) return;
        throw _state switch
        {
            State.Completed => new InvalidOperationException($"the bulk write into {Target.Table} is already committed; create a new writer for more rows"),
            State.Cancelled => new InvalidOperationException($"the bulk write into {Target.Table} failed and was rolled back; create a new writer to try again"),
            State.Disposed => new ObjectDisposedException(GetType().Name, $"the bulk writer for {Target.Table} is disposed; create a new one"),
            _ => new InvalidOperationException($"cannot {action} before writing; call WriteAsync first"),
        };
    }
}
