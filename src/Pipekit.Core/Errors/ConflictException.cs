namespace Pipekit.Core.Errors;

/// <summary>
/// The request is valid but clashes with the current state (HTTP 409): a name is taken, the thing is running or
/// still in use. Trying again after that state changes may succeed.
/// </summary>
public class ConflictException : PipekitException
{
    public ConflictException(string message) : base(message) { }

    public ConflictException(string message, Exception? inner) : base(message, inner) { }
}
