using Xunit;

namespace Pipekit.Testing;

/// <summary>A fact that needs MariaDB; skipped, with the reason shown, when its binaries are absent.</summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (MariaDbServer.UnavailableReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs MariaDB; skipped, with the reason shown, when its binaries are absent.</summary>
public sealed class MariaDbTheoryAttribute : TheoryAttribute
{
    public MariaDbTheoryAttribute()
    {
        if (MariaDbServer.UnavailableReason is { } reason) Skip = reason;
    }
}
