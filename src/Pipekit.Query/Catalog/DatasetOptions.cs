using System.Globalization;
using System.Text.Json;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Catalog;

/// <summary>
/// Reader options per format: which keys exist and what kind of value each takes. Values become DuckDB literals in
/// the view definition, so only these keys and only booleans, whole numbers and strings are accepted.
/// </summary>
public static class DatasetOptions
{
    public static readonly IReadOnlyList<string> Formats = ["parquet", "csv", "json"];

    private static readonly Dictionary<string, Dictionary<string, Type>> Known = new(StringComparer.Ordinal)
    {
        ["parquet"] = new(StringComparer.Ordinal)
        {
            ["hive_partitioning"] = typeof(bool), ["union_by_name"] = typeof(bool), ["filename"] = typeof(bool), ["binary_as_string"] = typeof(bool),
        },
        ["csv"] = new(StringComparer.Ordinal)
        {
            ["header"] = typeof(bool), ["delim"] = typeof(string), ["quote"] = typeof(string), ["escape"] = typeof(string), ["skip"] = typeof(long),
            ["auto_detect"] = typeof(bool), ["dateformat"] = typeof(string), ["timestampformat"] = typeof(string), ["nullstr"] = typeof(string),
            ["union_by_name"] = typeof(bool), ["hive_partitioning"] = typeof(bool), ["filename"] = typeof(bool), ["all_varchar"] = typeof(bool),
        },
        ["json"] = new(StringComparer.Ordinal)
        {
            ["format"] = typeof(string), ["union_by_name"] = typeof(bool), ["hive_partitioning"] = typeof(bool), ["filename"] = typeof(bool),
            ["maximum_object_size"] = typeof(long), ["dateformat"] = typeof(string), ["timestampformat"] = typeof(string),
        },
    };

    /// <summary>Checks options for a format; returns an error per bad key (empty when all are fine).</summary>
    public static IReadOnlyList<string> Validate(string format, IReadOnlyDictionary<string, object> options)
    {
        var errors = new List<string>();
        if (!Known.TryGetValue(format, out var known)) return errors;
        foreach (var (key, value) in options)
        {
            if (!known.TryGetValue(key, out var type))
                errors.Add($"unknown {format} option '{key}' (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))})");
            else if (value.GetType() != type)
                errors.Add($"option '{key}' must be {(type == typeof(bool) ? "true or false" : type == typeof(long) ? "a whole number" : "a string")}");
        }
        return errors;
    }

    /// <summary>Options from JSON (API bodies and the stored column): booleans, whole numbers and strings; anything else is refused.</summary>
    public static IReadOnlyDictionary<string, object> FromJson(JsonElement element)
    {
        var options = new Dictionary<string, object>(StringComparer.Ordinal);
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return options;
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException("options must be a JSON object");
        foreach (var property in element.EnumerateObject())
        {
            options[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number when property.Value.TryGetInt64(out var n) => n,
                _ => throw new FormatException($"option '{property.Name}' must be true/false, a whole number or a string"),
            };
        }
        return options;
    }

    public static IReadOnlyDictionary<string, object> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>The options as DuckDB named arguments: <c>, header = true, delim = ';'</c>.</summary>
    public static string ToArguments(IReadOnlyDictionary<string, object> options) =>
        string.Concat(options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $", {o.Key} = {Literal(o.Value)}"));

    private static string Literal(object value) => value switch
    {
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => SqlText.Literal(s),
        _ => throw new ArgumentException($"unsupported option value {value.GetType().Name}"),
    };
}
