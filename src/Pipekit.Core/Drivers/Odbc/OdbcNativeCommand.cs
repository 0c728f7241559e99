using System.ComponentModel;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// A SQL statement with positional <c>?</c> parameters. Each execution gets a fresh ODBC statement
/// handle unless <see cref="Prepare"/> was called, in which case the prepared handle is reused until
/// the text or connection changes. A cancelled token calls SQLCancel on the running statement.
/// </summary>
internal sealed class OdbcNativeCommand : DbCommand
{
    private OdbcNativeConnection? _connection;
    private OdbcNativeTransaction? _transaction;
    private readonly OdbcNativeParameterCollection _parameters = new();
    private string _commandText = "";
    private StatementHandle? _prepared;
    private ConnectionHandle? _preparedOn;
    private string? _preparedText;
    private StatementHandle? _running;
    private readonly Lock _runningGate = new();

    public OdbcNativeCommand() { }

    public OdbcNativeCommand(string commandText, OdbcNativeConnection connection)
    {
        _commandText = commandText;
        _connection = connection;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            _commandText = value ?? "";
            if (_preparedText != _commandText) ReleasePrepared();
        }
    }

    /// <summary>Seconds before the driver gives up (SQL_ATTR_QUERY_TIMEOUT); 0, the default, waits as long as a pipeline query takes.</summary>
    public override int CommandTimeout { get; set; }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
                throw new NotSupportedException("ODBC commands here take SQL text; call a procedure with \"{CALL name(?, ?)}\"");
        }
    }

    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    public new OdbcNativeParameterCollection Parameters => _parameters;

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            if (!ReferenceEquals(value, _connection)) ReleasePrepared();
            _connection = value switch
            {
                null => null,
                OdbcNativeConnection odbc => odbc,
                _ => throw new ArgumentException($"an ODBC command needs an OdbcNativeConnection, not {value.GetType().Name}"),
            };
        }
    }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbParameter CreateDbParameter() => new OdbcNativeParameter();

    /// <summary>Kept for ADO.NET callers; ODBC transactions belong to the connection, so every command on it takes part.</summary>
    protected override DbTransaction? DbTransaction
    {
        get => _transaction ?? _connection?.CurrentTransaction;
        set => _transaction = value switch
        {
            null => null,
            OdbcNativeTransaction odbc => odbc,
            _ => throw new ArgumentException($"an ODBC command needs an OdbcNativeTransaction, not {value.GetType().Name}"),
        };
    }

    public override void Cancel()
    {
        lock (_runningGate) _running?.Cancel();
    }

    public override unsafe void Prepare()
    {
        var connection = RequireConnection();
        if (_prepared is { IsClosed: false } && _preparedText == _commandText && ReferenceEquals(_preparedOn, connection.Handle)) return;
        ReleasePrepared();
        var statement = connection.AllocateStatement();
        try
        {
            short rc;
            fixed (char* text = _commandText)
                rc = OdbcApi.SQLPrepareW(statement, text, _commandText.Length);
            connection.Check(statement, rc);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
        _prepared = statement;
        _preparedOn = connection.Handle;
        _preparedText = _commandText;
    }

    public override int ExecuteNonQuery() => ExecuteNonQuery(CancellationToken.None);

    public override object? ExecuteScalar() => ExecuteScalar(CancellationToken.None);

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        AsTask(() => ExecuteNonQuery(cancellationToken), cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        AsTask(() => ExecuteScalar(cancellationToken), cancellationToken);

    public new OdbcNativeDataReader ExecuteReader() => (OdbcNativeDataReader)ExecuteDbDataReader(CommandBehavior.Default);

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        ExecuteReader(behavior, CancellationToken.None);

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        AsTask<DbDataReader>(() => ExecuteReader(behavior, cancellationToken), cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) ReleasePrepared();
        base.Dispose(disposing);
    }

    private int ExecuteNonQuery(CancellationToken cancellationToken)
    {
        var (statement, owned) = Execute(cancellationToken);
        try
        {
            var connection = RequireConnection();
            long total = -1;
            while (true)
            {
                connection.Check(statement, OdbcApi.SQLNumResultCols(statement, out var columns));
                if (columns == 0)
                {
                    connection.Check(statement, OdbcApi.SQLRowCount(statement, out var count));
                    if (count >= 0) total = Math.Max(total, 0) + count;
                }
                var rc = OdbcApi.SQLMoreResults(statement);
                if (rc == OdbcConst.NoData) break;
                connection.Check(statement, rc);
            }
            return (int)Math.Clamp(total, -1, int.MaxValue);
        }
        finally
        {
            Finish(statement, owned);
        }
    }

    private object? ExecuteScalar(CancellationToken cancellationToken)
    {
        using var reader = ExecuteReader(CommandBehavior.SingleResult, cancellationToken);
        return reader.Read(cancellationToken) && reader.FieldCount > 0 ? reader.GetValue(0) : null;
    }

    private OdbcNativeDataReader ExecuteReader(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var (statement, owned) = Execute(cancellationToken);
        try
        {
            return new OdbcNativeDataReader(RequireConnection(), statement, owned, behavior);
        }
        catch
        {
            Finish(statement, owned);
            throw;
        }
    }

    /// <summary>
    /// Runs the statement with its parameters bound, SQLCancel wired to the token for the length of
    /// the call. An error after the token fired surfaces as cancellation, not as the driver's HY008.
    /// </summary>
    private unsafe (StatementHandle Statement, bool Owned) Execute(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = RequireConnection();
        if (string.IsNullOrWhiteSpace(_commandText))
            throw new InvalidOperationException("the command has no SQL text; set CommandText first");
        if (_transaction is not null && _transaction != connection.CurrentTransaction)
            throw new InvalidOperationException("the command's transaction is not the connection's open transaction");

        var prepared = _prepared is { IsClosed: false } && _preparedText == _commandText && ReferenceEquals(_preparedOn, connection.Handle);
        var statement = prepared ? _prepared! : connection.AllocateStatement();
        try
        {
            if (CommandTimeout > 0)
                OdbcApi.SQLSetStmtAttrW(statement, OdbcConst.AttrQueryTimeout, CommandTimeout, OdbcConst.IsUInteger);
            short rc;
            OdbcNativeException? error = null;
            using (var parameters = OdbcParameterBuffer.Bind(statement, _parameters.Items, connection))
            {
                lock (_runningGate) _running = statement;
                try
                {
                    using (cancellationToken.Register(static s => ((StatementHandle)s!).Cancel(), statement))
                    {
                        if (prepared)
                        {
                            rc = OdbcApi.SQLExecute(statement);
                        }
                        else
                        {
                            fixed (char* text = _commandText)
                                rc = OdbcApi.SQLExecDirectW(statement, text, _commandText.Length);
                        }
                    }
                    // read the diagnostics now: the next call on the handle (SQLFreeStmt below) clears them
                    if (OdbcNativeConnection.IsError(rc) && rc != OdbcConst.NeedData)
                        error = OdbcNativeException.FromHandle(statement, rc, connection.Redact);
                }
                finally
                {
                    lock (_runningGate) _running = null;
                    // unbind before the buffer is freed, so the handle never points at released memory
                    OdbcApi.SQLFreeStmt(statement, OdbcConst.FreeStmtResetParams);
                }
            }
            if (rc == OdbcConst.NeedData)
                throw new NotSupportedException("the driver asked for data-at-execution parameters, which Pipekit does not send");
            if (error is not null)
            {
                if (cancellationToken.IsCancellationRequested)
                    throw new OperationCanceledException($"the statement was cancelled ({error.Message})", error, cancellationToken);
                throw error;
            }
            return (statement, !prepared);
        }
        catch
        {
            Finish(statement, !prepared);
            throw;
        }
    }

    /// <summary>Frees a one-off statement, or closes the cursor of the prepared one so it can run again.</summary>
    internal static void Finish(StatementHandle statement, bool owned)
    {
        if (owned) statement.Dispose();
        else if (!statement.IsClosed) OdbcApi.SQLFreeStmt(statement, OdbcConst.FreeStmtClose);
    }

    private OdbcNativeConnection RequireConnection() =>
        _connection is { State: ConnectionState.Open } connection
            ? connection
            : throw new InvalidOperationException("the command needs an open OdbcNativeConnection");

    private void ReleasePrepared()
    {
        _prepared?.Dispose();
        _prepared = null;
        _preparedOn = null;
        _preparedText = null;
    }

    private static Task<T> AsTask<T>(Func<T> run, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            return Task.FromResult(run());
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(e.CancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
