using Xunit;

namespace Pipekit.Query.Tests;

/// <summary>A fact that needs s3rver; skipped, with the reason shown, when node or s3rver is absent.</summary>
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (S3rverFixture.UnavailableReason is { } reason) Skip = reason;
    }
}
