using Xunit;

namespace Pipekit.Core.Tests.Secrets;

/// <summary>A fact that needs root (to hand a file to another user); skipped, with the reason shown, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess) Skip = "needs root to chown a file to another user";
    }
}
