using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// The state machine of a bulk writer that loads inside a transaction: Ready → Completed (committed) | Failed,
/// then Disposed; disposing before completion rolls back. When the target carries the caller's transaction the
/// writer writes in it and neither commits nor rolls back: the caller does.
/// </summary>
internal abstract class TransactionalBulkWriter : IBulkWriter
{
    private readonly DbConnection _connection;
    private readonly bool _ownsTransaction;
    private State _state;

    protected TransactionalBulkWriter(DbConnection connection, BulkWriteTarget target, string qualifiedTable)
    {
        if (target.Columns.Count == 0) throw new ArgumentException($"no columns given for {target.Table}", nameof(target));
        _connection = connection;
        Target = target;
        Table = qualifiedTable;
        Transaction = target.Transaction;
        _ownsTransaction = target.Transaction is null;
    }

    private enum State { Ready, Completed, Failed, Disposed }

    protected BulkWriteTarget Target { get; }

    /// <summary>The destination as the dialect quotes it.</summary>
    protected string Table { get; }

    /// <summary>The transaction the rows go into: the caller's, or the writer's own once the first write began.</summary>
    protected DbTransaction? Transaction { get; private set; }

    public async Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        if (source.FieldCount != Target.Columns.Count)
            throw new DriverException(
                $"the source has {source.FieldCount} columns but {Table} is loaded through {Target.Columns.Count} ({string.Join(", ", Target.Columns)})");
        try
        {
            Transaction ??= await _connection.BeginTransactionAsync(cancellationToken);
            return await WriteRowsAsync(source, rowsWritten, cancellationToken);
        }
        catch (Exception)
        {
            _state = State.Failed;
            throw;
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        try
        {
            if (_ownsTransaction && Transaction is not null) await Transaction.CommitAsync(cancellationToken);
        }
        catch (Exception)
        {
            _state = State.Failed;
            throw;
        }
        _state = State.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed) return;
        var rollBack = _state != State.Completed;
        _state = State.Disposed;
        if (!_ownsTransaction || Transaction is null) return;
        try
        {
            if (rollBack) await Transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection broke mid-write, or the server already ended the transaction after a failed bulk
            // load; either way nothing of it is committed.
        }
        finally
        {
            await Transaction.DisposeAsync();
        }
    }

    /// <summary>Writes every row of <paramref name="source"/> in <see cref="Transaction"/>; returns the row count.</summary>
    protected abstract Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? progress, CancellationToken cancellationToken);

    private void ThrowIfNotReady()
    {
        switch (_state)
        {
            case State.Completed:
                throw new InvalidOperationException($"the bulk write into {Table} is already complete");
            case State.Failed:
                throw new InvalidOperationException($"a write into {Table} failed; dispose the writer to roll it back");
            case State.Disposed:
                throw new ObjectDisposedException(GetType().Name);
        }
    }
}
