namespace Pipekit.Core.Secrets;

/// <summary>
/// A <see cref="Redactor"/>'s values as they were when <see cref="Redactor.Snapshot"/> was called: redacts like it, with
/// every encoded form of every value, without asking the secrets store again. Immutable; safe from several threads.
/// </summary>
public sealed class RedactionSnapshot
{
    private readonly Redactor.Matcher _matcher;

    internal RedactionSnapshot(Redactor.Matcher matcher)
    {
        _matcher = matcher;
    }

    /// <summary>The text with every value known at the snapshot replaced by <c>***</c>; an empty string for null.</summary>
    public string Redact(string? text) => string.IsNullOrEmpty(text) ? string.Empty : _matcher.Redact(text);
}
