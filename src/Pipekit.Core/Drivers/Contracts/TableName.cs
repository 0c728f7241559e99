namespace Pipekit.Core.Drivers;

/// <summary>
/// A table and its qualifiers. <see cref="Schema"/> is the common one; SQL Server may also carry
/// <see cref="Database"/> and <see cref="LinkedServer"/>.
/// </summary>
public sealed record TableName(string Table, string? Schema = null, string? Database = null, string? LinkedServer = null)
{
    /// <summary>Parses <c>schema.table</c> or <c>table</c>; the parts may be double-quoted.</summary>
    public static TableName Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parts = SplitDotted(text.Trim());
        return parts.Count switch
        {
            1 => new TableName(parts[0]),
            2 => new TableName(parts[1], parts[0]),
            3 => new TableName(parts[2], parts[1], parts[0]),
            4 => new TableName(parts[3], parts[2], parts[1], parts[0]),
            _ => throw new FormatException($"table name '{text}' has too many parts; use schema.table"),
        };
    }

    public static TableName FromQualifiers(string table, IReadOnlyDictionary<string, string?> qualifiers) =>
        new(table,
            Get(qualifiers, "schema"),
            Get(qualifiers, "database"),
            Get(qualifiers, "linked_server"));

    /// <summary>Unquoted <c>schema.table</c> as a user writes it.</summary>
    public override string ToString() => Schema is null ? Table : $"{Schema}.{Table}";

    private static string? Get(IReadOnlyDictionary<string, string?> q, string key) =>
        q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static List<string> SplitDotted(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (c == '.' && !quoted) { parts.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        parts.Add(current.ToString());
        if (quoted)
            throw new FormatException($"table name '{text}' has an unclosed '\"'");
        if (parts.Any(string.IsNullOrWhiteSpace))
            throw new FormatException($"table name '{text}' has an empty part");
        return parts;
    }
}
