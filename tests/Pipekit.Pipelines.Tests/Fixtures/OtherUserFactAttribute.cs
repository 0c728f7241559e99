using Xunit;

namespace Pipekit.Pipelines.Tests.Fixtures;

/// <summary>
/// A fact that starts a process as another user (<c>nobody</c>, through <c>setpriv</c>); skipped, with the reason shown,
/// when the tests do not run as root or <c>setpriv</c> is missing.
/// </summary>
internal sealed class OtherUserFactAttribute : FactAttribute
{
    public const string Setpriv = "/usr/bin/setpriv";
    public const int Nobody = 65534;

    /// <summary>A python3 that another user may run (root's own, such as a pyenv shim under /root, may be private).</summary>
    public const string SystemPython = "/usr/bin/python3";

    public OtherUserFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root to start a client as another user (nobody); run the tests as root to check SO_PEERCRED";
        else if (!File.Exists(Setpriv)) Skip = $"needs {Setpriv} (util-linux) to start a client as another user";
        else if (!File.Exists(SystemPython)) Skip = $"needs {SystemPython} for the client started as another user";
    }
}
