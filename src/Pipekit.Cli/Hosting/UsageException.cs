namespace Pipekit.Cli.Hosting;

/// <summary>The command line was understood but the input is unusable; exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
