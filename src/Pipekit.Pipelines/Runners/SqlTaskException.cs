using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Runners;

/// <summary>A SQL task cannot run as configured; the message names what is missing and where to add it.</summary>
internal sealed class SqlTaskException(string message) : CannotDoHereException(message);
