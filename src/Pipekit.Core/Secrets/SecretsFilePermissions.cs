namespace Pipekit.Core.Secrets;

/// <summary>Checks who can read a secrets file, for <c>pipekit doctor</c>.</summary>
public static class SecretsFilePermissions
{
    private const UnixFileMode OtherAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Ok when this process can read the file and other users cannot (0600, or 0640 for a service group as the
    /// service install sets it); a warning when other users can read or write it, or it does not exist yet; a
    /// failure when this process cannot read it.
    /// </summary>
    public static SecretsPermissionCheck Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("secrets files need Unix file modes");
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            return new(SecretsPermissionStatus.Failure, $"secrets path {fullPath} is a directory; give the path of a file");
        if (!File.Exists(fullPath))
            return new(SecretsPermissionStatus.Warning, $"secrets file {fullPath} not found; create it with 'pipekit secrets set KEY'");

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException)
        {
            return new(SecretsPermissionStatus.Failure, $"secrets file {fullPath} is not readable by this user; check its owner and mode");
        }
        catch (IOException ex)
        {
            return new(SecretsPermissionStatus.Failure, $"secrets file {fullPath} cannot be read: {ex.Message}");
        }

        var mode = File.GetUnixFileMode(fullPath);
        var octal = Octal(mode);
        if ((mode & OtherAccess) == 0)
            return new(SecretsPermissionStatus.Ok, $"secrets file {fullPath} has mode {octal}");
        var access = (mode & UnixFileMode.OtherRead) != 0 ? "readable" : (mode & UnixFileMode.OtherWrite) != 0 ? "writable" : "accessible";
        return new(SecretsPermissionStatus.Warning,
            $"secrets file {fullPath} is {access} by others (mode {octal}); run chmod 600 {fullPath}");
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
