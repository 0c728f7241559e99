namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>An ODBC connection handle; remembers whether it is connected so that release can disconnect.</summary>
internal sealed class ConnectionHandle : OdbcHandle
{
    internal ConnectionHandle(OdbcHandle parent) : base(parent) { }

    public override short HandleType => OdbcConst.HandleDbc;

    /// <summary>True between a successful SQLDriverConnect and SQLDisconnect.</summary>
    public bool Connected { get; set; }

    /// <summary>True while autocommit is off: release must roll back, or SQLDisconnect refuses (25000).</summary>
    public bool InManualCommit { get; set; }

    public StatementHandle AllocateStatement() =>
        AllocateChild(OdbcConst.HandleStmt, parent => new StatementHandle(parent));

    protected override void BeforeFree()
    {
        if (!Connected) return;
        if (InManualCommit) OdbcApi.SQLEndTran(OdbcConst.HandleDbc, handle, OdbcConst.Rollback);
        OdbcApi.SQLDisconnect(handle);
        Connected = false;
    }
}
