using Pipekit.Core.Errors;

namespace Pipekit.Core.Connections;

/// <summary>No connection with that id or name.</summary>
public sealed class ConnectionNotFoundException(string what)
    : NotFoundException($"no connection {what}; 'pipekit connections list' shows them");
