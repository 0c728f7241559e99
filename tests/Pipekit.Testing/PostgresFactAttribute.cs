using Xunit;

namespace Pipekit.Testing;

/// <summary>A fact that needs PostgreSQL; skipped, with the reason shown, when its binaries are absent.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.UnavailableReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs PostgreSQL; skipped, with the reason shown, when its binaries are absent.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresCluster.UnavailableReason is { } reason) Skip = reason;
    }
}
