using System.Runtime.InteropServices;

namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>
/// An ODBC handle. A child (connection, statement) holds a reference on its parent so that the
/// parent is never freed first, whichever order the GC finalises them in: unixODBC refuses to free
/// an environment that still has connections, and freeing a connection frees its statements.
/// </summary>
internal abstract class OdbcHandle : SafeHandle
{
    private readonly OdbcHandle? _parent;

    protected OdbcHandle(OdbcHandle? parent) : base(0, ownsHandle: true)
    {
        _parent = parent;
    }

    /// <summary>SQL_HANDLE_ENV, SQL_HANDLE_DBC or SQL_HANDLE_STMT.</summary>
    public abstract short HandleType { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>Allocates a child handle of <paramref name="childType"/> and hands it to <paramref name="wrap"/>.</summary>
    protected T AllocateChild<T>(short childType, Func<OdbcHandle, T> wrap) where T : OdbcHandle
    {
        var child = wrap(this);
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            var rc = OdbcApi.SQLAllocHandle(childType, DangerousGetHandle(), out var raw);
            if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo))
                throw OdbcNativeException.FromHandle(this, rc, null);
            child.SetHandle(raw);
            added = false; // the child now owns the reference and releases it in ReleaseHandle
            return child;
        }
        finally
        {
            if (added) DangerousRelease();
        }
    }

    protected override bool ReleaseHandle()
    {
        BeforeFree();
        var rc = OdbcApi.SQLFreeHandle(HandleType, handle);
        _parent?.DangerousRelease();
        return rc == OdbcConst.Success;
    }

    /// <summary>Last work before the handle is freed (a connection disconnects).</summary>
    protected virtual void BeforeFree() { }
}
