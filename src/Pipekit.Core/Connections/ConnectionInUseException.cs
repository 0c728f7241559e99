using Pipekit.Core.Errors;

namespace Pipekit.Core.Connections;

/// <summary>A module, watermark or hook still uses the connection.</summary>
public sealed class ConnectionInUseException(long id)
    : ConflictException($"connection {id} is still used by a module, watermark or hook; change or delete those first")
{
    public long Id { get; } = id;
}
