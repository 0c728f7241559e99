namespace Pipekit.Cli.Hosting;

/// <summary>The operation failed and its one-line message has already been phrased for the user; exits 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
