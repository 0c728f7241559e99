namespace Pipekit.Sync.Files;

/// <summary>
/// What <c>apply</c> did (or, for a dry run, would do) to one connection, module, group or schedule; an update
/// names the fields that changed, in the project file's key names.
/// </summary>
public sealed record ApplyChange(string Kind, string Name, ApplyAction Action)
{
    public IReadOnlyList<string> ChangedFields { get; init; } = [];

    public bool Equals(ApplyChange? other) =>
        other is not null && Kind == other.Kind && Name == other.Name && Action == other.Action && ChangedFields.SequenceEqual(other.ChangedFields);

    public override int GetHashCode() => HashCode.Combine(Kind, Name, Action);
}
