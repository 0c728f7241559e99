namespace Pipekit.Core.Errors;

/// <summary>The thing named does not exist (HTTP 404). The message says how to list what does.</summary>
public class NotFoundException : PipekitException
{
    public NotFoundException(string message) : base(message) { }

    public NotFoundException(string message, Exception? inner) : base(message, inner) { }
}
