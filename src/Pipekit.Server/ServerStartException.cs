namespace Pipekit.Server;

/// <summary>The server refused to start as configured; the message says what to do.</summary>
public sealed class ServerStartException(string message) : Exception(message);
