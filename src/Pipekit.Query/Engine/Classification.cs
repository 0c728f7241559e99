namespace Pipekit.Query.Engine;

/// <summary>The classifier's answer: a read statement with its fingerprint, or the reason it is refused.</summary>
internal sealed record Classification(bool IsRead, string? Reason, string? Fingerprint);
