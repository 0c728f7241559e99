namespace Pipekit.Pipelines.Runners;

/// <summary>How one attempt ended: success, or a failure with an exit code (processes) and a one-line reason.</summary>
internal sealed record AttemptOutcome(bool Success, int? ExitCode, string? Detail)
{
    public static AttemptOutcome Exited(int code) => new(code == 0, code, code == 0 ? null : $"exit code {code}");

    public static AttemptOutcome Failed(string detail) => new(false, null, detail);

    public static readonly AttemptOutcome Succeeded = new(true, null, null);
}
