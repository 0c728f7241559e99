namespace Pipekit.Core.State;

/// <summary>Where a state store stands against the migrations this binary carries.</summary>
/// <param name="Applied">The highest applied version of each part the store knows (0 for a part it has not seen).</param>
/// <param name="Pending">Migrations this binary would apply, in order.</param>
/// <param name="Legacy">The store was made before each part owned its schema; <c>pipekit init</c> adopts it.</param>
public sealed record SchemaStatus(IReadOnlyDictionary<string, int> Applied, IReadOnlyList<Migration> Pending, bool Legacy = false)
{
    public bool IsCurrent => Pending.Count == 0 && !Legacy;

    /// <summary>The versions as one line, e.g. <c>core 1, sync 3</c>.</summary>
    public string Versions => string.Join(", ", Applied.Select(p => $"{p.Key} {p.Value}"));
}
