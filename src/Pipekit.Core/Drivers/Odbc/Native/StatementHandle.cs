namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>An ODBC statement handle.</summary>
internal sealed class StatementHandle : OdbcHandle
{
    internal StatementHandle(OdbcHandle parent) : base(parent) { }

    public override short HandleType => OdbcConst.HandleStmt;

    /// <summary>
    /// Asks the driver to stop what the statement is doing. ODBC allows this from another thread while
    /// the statement executes; a handle already closed is left alone.
    /// </summary>
    public void Cancel()
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            OdbcApi.SQLCancel(this);
        }
        catch (ObjectDisposedException)
        {
            // the statement finished and was freed between the token firing and this call
        }
        finally
        {
            if (added) DangerousRelease();
        }
    }
}
