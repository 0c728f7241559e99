namespace Pipekit.Core.State;

/// <summary>A row of the <c>settings</c> table.</summary>
public sealed record Setting(string Key, string Value, DateTimeOffset UpdatedAt);
