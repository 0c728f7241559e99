using System.Data;
using System.Data.Common;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// A transaction on an ODBC connection: autocommit is off from begin until commit or rollback.
/// Disposing without either rolls back.
/// </summary>
internal sealed class OdbcNativeTransaction : DbTransaction
{
    private readonly OdbcNativeConnection _connection;
    private bool _completed;

    internal OdbcNativeTransaction(OdbcNativeConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
    }

    public override IsolationLevel IsolationLevel { get; }

    protected override DbConnection DbConnection => _connection;

    public override void Commit() => End(commit: true);

    public override void Rollback() => End(commit: false);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed && _connection.CurrentTransaction == this)
        {
            _completed = true;
            _connection.EndTransaction(commit: false);
        }
        base.Dispose(disposing);
    }

    private void End(bool commit)
    {
        if (_completed)
            throw new InvalidOperationException("this transaction has already been committed or rolled back");
        if (_connection.CurrentTransaction != this)
            throw new InvalidOperationException("this transaction no longer belongs to an open connection");
        _completed = true;
        _connection.EndTransaction(commit);
    }
}
