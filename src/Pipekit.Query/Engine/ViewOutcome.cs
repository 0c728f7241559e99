namespace Pipekit.Query.Engine;

/// <summary>What became of one view in a publish: created, or the (redacted) reason it was not.</summary>
public sealed record ViewOutcome(string Name, string? Error)
{
    public bool Ok => Error is null;
}
