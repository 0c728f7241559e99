using System.Runtime.Versioning;
using Pipekit.Core.Secrets;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

// File modes and owners are Unix concepts; Pipekit targets linux-x64.
[UnsupportedOSPlatform("windows")]
public sealed class SecretsFilePermissionsFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _path;

    public SecretsFilePermissionsFacts()
    {
        _path = _dir.File("secrets.toml");
        File.WriteAllText(_path, "[global]\n");
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0b110_000_000, "0600")]
    [InlineData(0b110_100_000, "0640")]
    [InlineData(0b100_000_000, "0400")]
    public void A_file_others_cannot_read_is_ok(int mode, string octal)
    {
        File.SetUnixFileMode(_path, (UnixFileMode)mode);

        var check = SecretsFilePermissions.Check(_path);

        Assert.Equal(SecretsPermissionStatus.Ok, check.Status);
        Assert.Equal($"secrets file {_path} has mode {octal}", check.Message);
    }

    [Fact]
    public void A_world_readable_file_is_a_warning_that_says_how_to_fix_it()
    {
        File.SetUnixFileMode(_path, (UnixFileMode)0b110_100_100);

        var check = SecretsFilePermissions.Check(_path);

        Assert.Equal(SecretsPermissionStatus.Warning, check.Status);
        Assert.Equal($"secrets file {_path} is readable by others (mode 0644); run chmod 600 {_path}", check.Message);
    }

    [Fact]
    public void A_world_writable_file_is_a_warning()
    {
        File.SetUnixFileMode(_path, (UnixFileMode)0b110_000_010);

        var check = SecretsFilePermissions.Check(_path);

        Assert.Equal(SecretsPermissionStatus.Warning, check.Status);
        Assert.Contains("writable by others (mode 0602)", check.Message);
    }

    [Fact]
    public void A_missing_file_is_a_warning()
    {
        var check = SecretsFilePermissions.Check(_dir.File("absent.toml"));

        Assert.Equal(SecretsPermissionStatus.Warning, check.Status);
        Assert.Contains("not found", check.Message);
    }

    [Fact]
    public void A_directory_is_a_failure()
    {
        var check = SecretsFilePermissions.Check(_dir.Path);

        Assert.Equal(SecretsPermissionStatus.Failure, check.Status);
    }

    [Fact]
    public void An_unreadable_file_is_a_failure()
    {
        if (Environment.IsPrivilegedProcess)
        {
            // Root reads every file, so "unreadable" cannot be produced by a mode; a dangling path component can.
            var check = SecretsFilePermissions.Check(_dir.File("secrets.toml/inner"));
            Assert.NotEqual(SecretsPermissionStatus.Ok, check.Status);
            return;
        }
        File.SetUnixFileMode(_path, UnixFileMode.None);

        var unreadable = SecretsFilePermissions.Check(_path);

        Assert.Equal(SecretsPermissionStatus.Failure, unreadable.Status);
        Assert.Contains("not readable", unreadable.Message);
    }
}
