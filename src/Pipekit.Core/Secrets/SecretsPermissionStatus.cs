namespace Pipekit.Core.Secrets;

/// <summary>The outcome of <see cref="SecretsFilePermissions.Check"/>, as <c>pipekit doctor</c> reports it.</summary>
public enum SecretsPermissionStatus
{
    /// <summary>Readable by this process and not by other users.</summary>
    Ok,

    /// <summary>Usable, but worth fixing: other users can read or write it, or it does not exist yet.</summary>
    Warning,

    /// <summary>This process cannot read it.</summary>
    Failure,
}
