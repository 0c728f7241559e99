namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>An ODBC 3 environment. Each connection has its own, so no process-wide state is shared.</summary>
internal sealed class EnvironmentHandle : OdbcHandle
{
    private EnvironmentHandle() : base(null) { }

    public override short HandleType => OdbcConst.HandleEnv;

    public static EnvironmentHandle Create()
    {
        var env = new EnvironmentHandle();
        short rc;
        nint raw;
        try
        {
            rc = OdbcApi.SQLAllocHandle(OdbcConst.HandleEnv, 0, out raw);
        }
        catch (DllNotFoundException e)
        {
            throw new DriverException("the odbc driver needs unixODBC's libodbc.so.2, which is not installed (apt-get install unixodbc)", e);
        }
        if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo))
            throw new OdbcNativeException($"cannot allocate an ODBC environment (SQLAllocHandle returned {rc}); is unixODBC (libodbc.so.2) installed?", "HY000", []);
        env.SetHandle(raw);
        // Without ODBC 3 behaviour drivers report the old date codes and SQLSTATEs.
        rc = OdbcApi.SQLSetEnvAttr(env, OdbcConst.AttrOdbcVersion, OdbcConst.OdbcVersion3, 0);
        if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo))
        {
            var error = OdbcNativeException.FromHandle(env, rc, null);
            env.Dispose();
            throw error;
        }
        return env;
    }

    public ConnectionHandle AllocateConnection() =>
        AllocateChild(OdbcConst.HandleDbc, parent => new ConnectionHandle(parent));
}
