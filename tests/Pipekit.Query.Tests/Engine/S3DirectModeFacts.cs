using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Xunit;

namespace Pipekit.Query.Tests.Engine;

/// <summary>
/// <c>[s3] mode = "direct"</c> where DuckDB's httpfs cannot be loaded (this machine has no internet to download it):
/// the engine refuses to start with one line naming the extension and the ways out, and the secret never shows.
/// </summary>
public sealed class S3DirectModeFacts
{
    private const string Secret = "direct-mode-secret-Zq81";

    [Fact]
    public void Direct_mode_without_httpfs_fails_with_one_line_naming_the_extension_and_what_to_do()
    {
        var settings = new QueryEngineSettings
        {
            Database = new DatabaseSettings { S3Direct = new S3DirectSecret("AKIAEXAMPLE", Secret, "us-east-1", "http://127.0.0.1:9", "path", false) },
        };

        var error = Assert.Throws<QueryException>(() => new QueryEngine(settings, new Redactor([Secret]), NullLogger<QueryEngine>.Instance));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("[s3] mode = \"direct\" needs DuckDB's httpfs extension, which cannot be loaded here", error.Message, StringComparison.Ordinal);
        Assert.Contains("INSTALL httpfs", error.Message, StringComparison.Ordinal);
        Assert.Contains("[s3] mode = \"cache\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }
}
