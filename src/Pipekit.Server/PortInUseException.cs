namespace Pipekit.Server;

/// <summary>The port the server was asked to listen on is taken by another process; nothing was started.</summary>
public sealed class PortInUseException(int port) : Exception($"port {port} is taken; use --port")
{
    public int Port { get; } = port;
}
