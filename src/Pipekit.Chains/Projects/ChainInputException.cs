using Pipekit.Core.Errors;

namespace Pipekit.Chains.Projects;

/// <summary>
/// The project, the head or a job request is not acceptable as given (a path that leaves the project, a head that
/// is not in the tree, a bad variable). The message names the thing at fault; the API answers 400.
/// </summary>
public sealed class ChainInputException : InvalidInputException
{
    public ChainInputException(string message) : base(message) { }
}
