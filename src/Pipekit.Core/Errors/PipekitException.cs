namespace Pipekit.Core.Errors;

/// <summary>
/// An error phrased for the user: it names the thing at fault and what to do next, and never a secret value.
/// Its base kind says what the user can do about it, so a front end (the API's problem details, the CLI's
/// exit code) maps the kind, never the concrete type: <see cref="NotFoundException"/>,
/// <see cref="ConflictException"/>, <see cref="InvalidInputException"/> and <see cref="CannotDoHereException"/>.
/// </summary>
public abstract class PipekitException : Exception
{
    protected PipekitException(string message) : base(message) { }

    protected PipekitException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>
    /// True when the same request may succeed if tried again unchanged (a refused connection, a timeout, a
    /// deadlock, a serialization failure); false when only a change by the user can fix it.
    /// </summary>
    public virtual bool IsTransient => false;
}
