using Pipekit.Core.Errors;

namespace Pipekit.Sync.Runs;

/// <summary>
/// A run cannot be started or cancelled in the state things are in: the module or group is already running,
/// or there is nothing to cancel. The message says which.
/// </summary>
public sealed class RunConflictException(string message) : ConflictException(message);
