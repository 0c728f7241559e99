using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// Streams rows into a SQL Server table with SqlBulkCopy inside one explicit transaction.
/// States: Ready → Completed (committed) | Failed → Disposed; disposing before completion rolls back.
/// </summary>
internal sealed class SqlServerBulkWriter : IBulkWriter
{
    private readonly SqlConnection _connection;
    private readonly BulkWriteTarget _target;
    private readonly SqlServerBulkWriterOptions _options;
    private readonly string _table;
    private SqlTransaction? _transaction;
    private State _state;

    public SqlServerBulkWriter(SqlConnection connection, BulkWriteTarget target, SqlServerDialect dialect, SqlServerBulkWriterOptions options)
    {
        if (target.Columns.Count == 0) throw new ArgumentException($"no columns given for {target.Table}", nameof(target));
        if (target.Table.LinkedServer is not null)
            throw new DriverException($"cannot bulk load {target.Table} through linked server '{target.Table.LinkedServer}'; connect to that server directly");
        _connection = connection;
        _target = target;
        _options = options;
        _table = dialect.QualifyTable(target.Table);
    }

    private enum State { Ready, Completed, Failed, Disposed }

    /// <summary>The SqlBulkCopy options every load uses.</summary>
    internal SqlBulkCopyOptions CopyOptions =>
        // KeepIdentity: the source's values are the data, so an IDENTITY column (which SELECT INTO copies
        // onto staging tables) must store them rather than number the rows itself.
        // KeepNulls: a NULL stays NULL rather than becoming the column's default.
        SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | (_options.TableLock ? SqlBulkCopyOptions.TableLock : 0);

    public async Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        if (source.FieldCount != _target.Columns.Count)
            throw new DriverException(
                $"the source has {source.FieldCount} columns but {_table} is loaded through {_target.Columns.Count} ({string.Join(", ", _target.Columns)})");
        try
        {
            _transaction ??= (SqlTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            return await CopyAsync(source, rowsWritten, cancellationToken);
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
            if (_transaction is not null) await _transaction.CommitAsync(cancellationToken);
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
        if (_transaction is null) return;
        try
        {
            if (rollBack) await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is SqlException or InvalidOperationException)
        {
            // A failed bulk copy can end the transaction on the server already (a "zombie" transaction);
            // either way nothing of it is committed.
        }
        finally
        {
            await _transaction.DisposeAsync();
        }
    }

    private async Task<long> CopyAsync(DbDataReader source, IProgress<long>? progress, CancellationToken ct)
    {
        using var bulkCopy = new SqlBulkCopy(_connection, CopyOptions, _transaction)
        {
            DestinationTableName = _table,
            // rows go to the server as they are read, never buffered whole
            EnableStreaming = true,
            BulkCopyTimeout = _options.BulkCopyTimeoutSeconds,
            NotifyAfter = _options.ProgressEvery,
        };
        for (var i = 0; i < _target.Columns.Count; i++)
            bulkCopy.ColumnMappings.Add(i, _target.Columns[i]);

        long copied = 0;
        bulkCopy.SqlRowsCopied += (_, e) =>
        {
            copied = e.RowsCopied;
            progress?.Report(copied);
        };

        try
        {
            await bulkCopy.WriteToServerAsync(source, ct);
        }
        catch (Exception e) when (e is SqlException or InvalidOperationException)
        {
            // SqlClient names the column and row in conversion errors ("… for Column 2 [qty] Row 4"); for
            // others the last progress notification is the best position there is.
            throw new DriverException($"bulk copy into {_table} failed after at least {copied} rows: {e.Message}", e);
        }

        var rows = bulkCopy.RowsCopied64;
        progress?.Report(rows);
        return rows;
    }

    private void ThrowIfNotReady()
    {
        switch (_state)
        {
            case State.Completed:
                throw new InvalidOperationException($"the bulk write into {_table} is already complete");
            case State.Failed:
                throw new InvalidOperationException($"a write into {_table} failed; dispose the writer to roll it back");
            case State.Disposed:
                throw new ObjectDisposedException(nameof(SqlServerBulkWriter));
        }
    }
}
