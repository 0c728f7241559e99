namespace Pipekit.Core.Configuration;

/// <summary>One <c>key = value</c> of a TOML file with the table it sits in and its 1-based line.</summary>
public sealed record TomlEntry(string Table, string Key, object? Value, int Line)
{
    public string FullKey => Table.Length == 0 ? Key : $"{Table}.{Key}";
}
