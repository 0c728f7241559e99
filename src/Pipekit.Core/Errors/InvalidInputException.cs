namespace Pipekit.Core.Errors;

/// <summary>What the user sent is wrong (HTTP 400, CLI exit 2); nothing was changed.</summary>
public class InvalidInputException : PipekitException
{
    public InvalidInputException(string message) : base(message) { }

    public InvalidInputException(string message, Exception? inner) : base(message, inner) { }
}
