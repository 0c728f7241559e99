namespace Pipekit.Core.Diagnostics;

public enum DoctorStatus
{
    Ok,
    Warn,
    Fail,
}

/// <summary>The outcome of one check, with a one-line message that tells the user what to do when it is not ok.</summary>
public sealed record DoctorResult(string Check, DoctorStatus Status, string Message)
{
    public static IReadOnlyList<DoctorResult> One(string check, DoctorStatus status, string message) => [new(check, status, message)];
}
