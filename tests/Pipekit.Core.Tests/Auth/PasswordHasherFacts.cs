using Pipekit.Core.Auth;
using Xunit;

namespace Pipekit.Core.Tests.Auth;

public sealed class PasswordHasherFacts
{
    [Fact]
    public void A_hash_verifies_its_password_and_nothing_else()
    {
        var hash = PasswordHasher.Hash("correct horse battery");
        Assert.True(PasswordHasher.Verify("correct horse battery", hash));
        Assert.False(PasswordHasher.Verify("correct horse batterY", hash));
        Assert.False(PasswordHasher.Verify("", hash));
    }

    [Fact]
    public void The_hash_is_pbkdf2_sha256_with_at_least_210000_iterations_and_a_random_salt()
    {
        var a = PasswordHasher.Hash("same password");
        var b = PasswordHasher.Hash("same password");
        Assert.NotEqual(a, b);
        var parts = a.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.True(int.Parse(parts[1]) >= 210_000);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("md5$1$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    public void A_malformed_stored_hash_never_verifies(string stored)
    {
        Assert.False(PasswordHasher.Verify("anything", stored));
    }
}
