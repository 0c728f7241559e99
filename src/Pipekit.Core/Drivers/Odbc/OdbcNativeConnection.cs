using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// A connection through the unixODBC driver manager. Each connection owns its own ODBC environment
/// and has no pool: Pipekit holds connections for the length of a run, and unixODBC can pool
/// underneath when odbcinst.ini asks it to.
/// </summary>
internal sealed class OdbcNativeConnection : DbConnection
{
    private string _connectionString;
    private string[] _secrets = [];
    private EnvironmentHandle? _environment;
    private ConnectionHandle? _handle;
    private ConnectionState _state = ConnectionState.Closed;
    private string _database = "";
    private string _dataSource = "";
    private string _serverVersion = "";
    private string _dbmsName = "";
    private readonly HashSet<OdbcNativeDataReader> _openReaders = [];
    private readonly List<StatementHandle> _statements = [];

    public OdbcNativeConnection() : this("") { }

    public OdbcNativeConnection(string connectionString)
    {
        _connectionString = connectionString;
    }

    /// <summary>
    /// The connection string; once open it is shown with the password masked, so that logging a
    /// connection can never leak it (what SqlClient calls Persist Security Info=false).
    /// </summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _state == ConnectionState.Open ? OdbcConnectionString.Parse(_connectionString).ToRedactedString() : _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
                throw new InvalidOperationException("the connection string cannot change while the connection is open; close it first");
            _connectionString = value ?? "";
        }
    }

    public override string Database => _database;

    public override string DataSource => _dataSource;

    public override string ServerVersion => _state == ConnectionState.Open
        ? _serverVersion
        : throw new InvalidOperationException("the server version is known only while the connection is open");

    /// <summary>SQL_DBMS_NAME as the driver reports it (e.g. <c>PostgreSQL</c>, <c>SQLite</c>, <c>DB2/400 SQL</c>).</summary>
    public string DbmsName => _dbmsName;

    public override ConnectionState State => _state;

    /// <summary>The dialect the driver chose for this connection; the bulk writer quotes with it.</summary>
    internal ISqlDialect? Dialect { get; init; }

    internal OdbcNativeTransaction? CurrentTransaction { get; private set; }

    internal ConnectionHandle Handle => _state == ConnectionState.Open && _handle is not null
        ? _handle
        : throw new InvalidOperationException("the ODBC connection is not open; call Open first");

    public override void Open()
    {
        if (_state != ConnectionState.Closed)
            throw new InvalidOperationException("the connection is already open");
        OdbcConnectionString parsed;
        try
        {
            parsed = OdbcConnectionString.Parse(_connectionString);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, e);
        }
        _secrets = parsed.Secrets.OrderByDescending(s => s.Length).ToArray();
        var text = parsed.ToString();
        if (text.Length >= short.MaxValue)
            throw new ArgumentException("the ODBC connection string is longer than ODBC allows (32766 characters)");

        var environment = EnvironmentHandle.Create();
        ConnectionHandle? handle = null;
        try
        {
            handle = environment.AllocateConnection();
            Connect(handle, text);
            _environment = environment;
            _handle = handle;
            _state = ConnectionState.Open;
        }
        catch
        {
            handle?.Dispose();
            environment.Dispose();
            throw;
        }
        _dbmsName = GetInfo(OdbcConst.InfoDbmsName);
        _serverVersion = GetInfo(OdbcConst.InfoDbmsVersion);
        _database = GetInfo(OdbcConst.InfoDatabaseName);
        _dataSource = GetInfo(OdbcConst.InfoDataSourceName) is { Length: > 0 } dsn ? dsn : GetInfo(OdbcConst.InfoServerName);
    }

    /// <summary>Connecting is one blocking ODBC call; the token is checked before it starts.</summary>
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        try
        {
            Open();
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    public override void Close()
    {
        if (_state == ConnectionState.Closed) return;
        foreach (var reader in _openReaders.ToList()) reader.Close();
        _openReaders.Clear();
        // SQLDisconnect frees the driver's statements behind our backs; freeing ours first means no
        // SafeHandle is left holding an address unixODBC may hand to someone else's statement later.
        foreach (var statement in _statements) statement.Dispose();
        _statements.Clear();
        if (CurrentTransaction is not null)
        {
            // an open transaction at close is abandoned work: roll it back, as every provider does
            try { EndTransaction(commit: false); } catch (DbException) { }
        }
        if (_handle is not null)
        {
            if (_handle.Connected)
            {
                OdbcApi.SQLDisconnect(_handle.DangerousGetHandle());
                _handle.Connected = false;
            }
            _handle.Dispose();
        }
        _environment?.Dispose();
        _handle = null;
        _environment = null;
        _state = ConnectionState.Closed;
    }

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("an ODBC connection cannot switch databases; name the database in the connection string");

    public new OdbcNativeTransaction BeginTransaction() => (OdbcNativeTransaction)BeginDbTransaction(IsolationLevel.Unspecified);

    public new OdbcNativeCommand CreateCommand() => (OdbcNativeCommand)CreateDbCommand();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        var handle = Handle;
        if (CurrentTransaction is not null)
            throw new InvalidOperationException("a transaction is already open on this connection; ODBC has one per connection, so commit or roll it back first");
        if (isolationLevel != IsolationLevel.Unspecified)
            Check(handle, OdbcApi.SQLSetConnectAttrW(handle, OdbcConst.AttrTxnIsolation, ToOdbcIsolation(isolationLevel), OdbcConst.IsUInteger));
        Check(handle, OdbcApi.SQLSetConnectAttrW(handle, OdbcConst.AttrAutocommit, OdbcConst.AutocommitOff, OdbcConst.IsUInteger));
        handle.InManualCommit = true;
        CurrentTransaction = new OdbcNativeTransaction(this, isolationLevel);
        return CurrentTransaction;
    }

    protected override DbCommand CreateDbCommand() => new OdbcNativeCommand { Connection = this };

    /// <summary>Ends the open transaction and returns to autocommit, whichever way the end went.</summary>
    internal void EndTransaction(bool commit)
    {
        var handle = Handle;
        try
        {
            var rc = OdbcApi.SQLEndTran(OdbcConst.HandleDbc, handle, commit ? OdbcConst.Commit : OdbcConst.Rollback);
            if (IsError(rc))
            {
                var error = OdbcNativeException.FromHandle(handle, rc, Redact);
                // a failed commit leaves the transaction open; roll it back so the connection stays usable
                if (commit) OdbcApi.SQLEndTran(OdbcConst.HandleDbc, handle, OdbcConst.Rollback);
                throw error;
            }
        }
        finally
        {
            CurrentTransaction = null;
            handle.InManualCommit = false;
            OdbcApi.SQLSetConnectAttrW(handle, OdbcConst.AttrAutocommit, OdbcConst.AutocommitOn, OdbcConst.IsUInteger);
        }
    }

    /// <summary>A new statement on this connection, freed at the latest when the connection closes.</summary>
    internal StatementHandle AllocateStatement()
    {
        _statements.RemoveAll(s => s.IsClosed);
        var statement = Handle.AllocateStatement();
        _statements.Add(statement);
        return statement;
    }

    internal void ReaderOpened(OdbcNativeDataReader reader) => _openReaders.Add(reader);

    internal void ReaderClosed(OdbcNativeDataReader reader) => _openReaders.Remove(reader);

    /// <summary>Removes every password of the connection string from text a driver produced.</summary>
    internal string Redact(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    /// <summary>Throws the handle's diagnostics when <paramref name="returnCode"/> is an error.</summary>
    internal void Check(OdbcHandle handle, short returnCode)
    {
        if (IsError(returnCode)) throw OdbcNativeException.FromHandle(handle, returnCode, Redact);
    }

    internal static bool IsError(short returnCode) =>
        returnCode is not (OdbcConst.Success or OdbcConst.SuccessWithInfo or OdbcConst.NoData);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    private unsafe void Connect(ConnectionHandle handle, string text)
    {
        if (ConnectionTimeout > 0)
        {
            // drivers that cannot honour a login timeout say so with an error we have no use for
            OdbcApi.SQLSetConnectAttrW(handle, OdbcConst.AttrLoginTimeout, ConnectionTimeout, OdbcConst.IsUInteger);
        }
        short rc;
        fixed (char* input = text)
            rc = OdbcApi.SQLDriverConnectW(handle, 0, input, (short)text.Length, null, 0, out _, OdbcConst.DriverNoPrompt);
        if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo))
            throw OdbcNativeException.FromHandle(handle, rc, Redact);
        handle.Connected = true;
    }

    private unsafe string GetInfo(ushort infoType)
    {
        var buffer = stackalloc char[256];
        var rc = OdbcApi.SQLGetInfoW(Handle, infoType, buffer, 256 * sizeof(char), out var lengthBytes);
        if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo)) return "";
        return new string(buffer, 0, Math.Clamp(lengthBytes / sizeof(char), 0, 255));
    }

    private static int ToOdbcIsolation(IsolationLevel level) => level switch
    {
        IsolationLevel.ReadUncommitted => OdbcConst.TxnReadUncommitted,
        IsolationLevel.ReadCommitted => OdbcConst.TxnReadCommitted,
        IsolationLevel.RepeatableRead => OdbcConst.TxnRepeatableRead,
        IsolationLevel.Serializable => OdbcConst.TxnSerializable,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "ODBC supports ReadUncommitted, ReadCommitted, RepeatableRead and Serializable"),
    };
}
