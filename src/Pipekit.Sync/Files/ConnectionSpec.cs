namespace Pipekit.Sync.Files;

/// <summary>
/// A <c>[[connections]]</c> entry. <see cref="Url"/> and <see cref="Password"/> may be <c>$NAME</c> secret references;
/// a literal password is refused as it is everywhere else. <see cref="DefaultDestConnection"/> is a connection name.
/// </summary>
public sealed record ConnectionSpec
{
    public required string Name { get; init; }
    public string? Driver { get; init; }
    public required string Url { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Dialect { get; init; }
    public string? Project { get; init; }
    public string? DefaultDestConnection { get; init; }
    public string? DefaultDestSchema { get; init; }
    public string? Notes { get; init; }
}
