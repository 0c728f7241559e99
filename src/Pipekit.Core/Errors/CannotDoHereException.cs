namespace Pipekit.Core.Errors;

/// <summary>
/// The request is well formed, but this module, database, file or store cannot do it as things are (HTTP 422):
/// a query that fails on its database, a secret that is missing, a store at a newer schema. The message says
/// what to change. <see cref="PipekitException.IsTransient"/> tells a retry policy whether trying again can help.
/// </summary>
public class CannotDoHereException : PipekitException
{
    private readonly bool _transient;

    public CannotDoHereException(string message, bool transient = false) : base(message)
    {
        _transient = transient;
    }

    public CannotDoHereException(string message, Exception? inner, bool transient = false) : base(message, inner)
    {
        _transient = transient;
    }

    public override bool IsTransient => _transient;
}
