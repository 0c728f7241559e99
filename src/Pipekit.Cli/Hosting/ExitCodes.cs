namespace Pipekit.Cli.Hosting;

/// <summary>0 success, 1 the operation failed, 2 usage or configuration error, 130 stopped by SIGINT (Ctrl-C), 143 by SIGTERM.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}
