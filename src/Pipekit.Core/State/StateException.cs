using Pipekit.Core.Errors;

namespace Pipekit.Core.State;

/// <summary>The state store cannot be used as it is; the message says why and what to do.</summary>
public sealed class StateException : CannotDoHereException
{
    public StateException(string message) : base(message) { }
    public StateException(string message, Exception inner) : base(message, inner) { }
}
