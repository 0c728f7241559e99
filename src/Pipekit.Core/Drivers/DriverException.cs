using Pipekit.Core.Errors;

namespace Pipekit.Core.Drivers;

/// <summary>A driver-level error with a message fit for a user: it names the thing at fault and what to do.</summary>
public sealed class DriverException : CannotDoHereException
{
    public DriverException(string message) : base(message) { }
    public DriverException(string message, Exception inner) : base(message, inner) { }
}
