using Pipekit.Core.Errors;

namespace Pipekit.Chains.Scripts;

/// <summary>
/// A statement of a step failed: the engine's message, its SQLSTATE when it has one, and the file and line of the
/// statement, so the user can go straight to it.
/// </summary>
public sealed class ChainStepException : CannotDoHereException
{
    public ChainStepException(string message, string? sqlState, string path, int line, Exception? inner)
        : base($"{path}:{line}: {message}", inner)
    {
        EngineMessage = message;
        SqlState = sqlState;
        Path = path;
        Line = line;
    }

    public string EngineMessage { get; }

    public string? SqlState { get; }

    public string Path { get; }

    public int Line { get; }
}
