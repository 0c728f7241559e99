using Pipekit.Core.Errors;

namespace Pipekit.Sync.Runs;

/// <summary>A module cannot run as defined; the message names the thing at fault and what to change.</summary>
public sealed class SyncException : CannotDoHereException
{
    public SyncException(string message) : base(message) { }

    public SyncException(string message, Exception inner) : base(message, inner) { }
}
