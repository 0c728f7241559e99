namespace Pipekit.Cli.Hosting;

/// <summary>0 success, 1 the operation failed, 2 usage or configuration error.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
