using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Pipekit.Core.Validation;

namespace Pipekit.Server.Json;

/// <summary>
/// Checks a JSON body against the contract of the type a route binds it to, before binding: every field must be one
/// the type has (an unknown one is named, with the closest known field as a suggestion), no field twice, and each
/// value of the JSON kind its field takes. Messages use the API's words (field paths such as <c>hooks[0].order</c>,
/// "a whole number", "a list"), never a .NET type name.
/// </summary>
/// <remarks>
/// System.Text.Json's own <c>JsonUnmappedMemberHandling.Disallow</c> stops at the first unknown member and names the
/// .NET type it was reading; a client fixing a body wants every mistake at once, in its own terms.
/// </remarks>
internal static class BodyShape
{
    /// <summary>More messages than this only repeat the point; a hostile body could otherwise make the answer huge.</summary>
    private const int MaxErrors = 20;

    private const int MaxShownNameLength = 64;

    /// <summary>Adds a message per mistake in <paramref name="body"/> for the contract of <paramref name="type"/>.</summary>
    public static void Check(JsonElement body, Type type, JsonSerializerOptions options, ValidationErrors errors)
    {
        var count = 0;
        Visit(body, options.GetTypeInfo(type), "", options, (field, message) =>
        {
            if (count++ < MaxErrors) errors.Add(field, message);
        });
    }

    private static void Visit(JsonElement value, JsonTypeInfo info, string path, JsonSerializerOptions options, Action<string, string> error)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (info.Type.IsValueType && Nullable.GetUnderlyingType(info.Type) is null) error(Field(path), "must not be null");
            return;
        }
        if (type == typeof(JsonElement) || type == typeof(object) || typeof(JsonNode).IsAssignableFrom(type)) return;
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    error(Field(path), path.Length == 0 ? "the body must be a JSON object ({ \"field\": value, … })" : "must be an object ({ … })");
                    return;
                }
                VisitObject(value, info, path, options, error);
                return;
            case JsonTypeInfoKind.Dictionary:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    error(Field(path), "must be an object of names and values ({ \"name\": value, … })");
                    return;
                }
                VisitDictionary(value, options.GetTypeInfo(info.ElementType!), path, options, error);
                return;
            case JsonTypeInfoKind.Enumerable:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    error(Field(path), "must be a list ([ … ])");
                    return;
                }
                var element = options.GetTypeInfo(info.ElementType!);
                var i = 0;
                foreach (var item in value.EnumerateArray()) Visit(item, element, $"{path}[{i++}]", options, error);
                return;
            default:
                if (ScalarProblem(value, type) is { } problem) error(Field(path), problem);
                return;
        }
    }

    private static void VisitObject(JsonElement value, JsonTypeInfo info, string path, JsonSerializerOptions options, Action<string, string> error)
    {
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        // A read-only property (a computed one such as IntrospectRequest.QualifierMap) would be skipped when read.
        var properties = info.Properties.Where(p => !p.IsExtensionData && (p.Set is not null || p.AssociatedParameter is not null)).ToList();
        var openEnded = info.Properties.Any(p => p.IsExtensionData);
        var seen = new HashSet<string>(comparer);
        foreach (var field in value.EnumerateObject())
        {
            var fieldPath = Join(path, field.Name);
            if (!seen.Add(field.Name))
            {
                error(fieldPath, "is given more than once; send each field once");
                continue;
            }
            var property = properties.FirstOrDefault(p => comparer.Equals(p.Name, field.Name));
            if (property is null)
            {
                if (openEnded) continue;
                var known = properties.Select(p => p.Name).ToList();
                var closest = ClosestName.Find(field.Name.Length > MaxShownNameLength ? "" : field.Name, known);
                error(fieldPath, closest is not null
                    ? $"unknown field; did you mean '{closest}'?"
                    : $"unknown field; the fields here are {string.Join(", ", known)}");
                continue;
            }
            Visit(field.Value, options.GetTypeInfo(property.PropertyType), fieldPath, options, error);
        }
    }

    private static void VisitDictionary(JsonElement value, JsonTypeInfo element, string path, JsonSerializerOptions options, Action<string, string> error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            var entryPath = Join(path, entry.Name);
            if (!seen.Add(entry.Name)) error(entryPath, "is given more than once; send each name once");
            else Visit(entry.Value, element, entryPath, options, error);
        }
    }

    private static string? ScalarProblem(JsonElement value, Type type)
    {
        if (type == typeof(string) || type == typeof(char))
            return value.ValueKind == JsonValueKind.String ? null : "must be a string (text in double quotes)";
        if (type == typeof(bool))
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
        if (type == typeof(long)) return WholeNumber(value, long.MinValue, long.MaxValue, v => v.TryGetInt64(out _));
        if (type == typeof(int)) return WholeNumber(value, int.MinValue, int.MaxValue, v => v.TryGetInt32(out _));
        if (type == typeof(short)) return WholeNumber(value, short.MinValue, short.MaxValue, v => v.TryGetInt16(out _));
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
            return value.ValueKind == JsonValueKind.Number ? null : "must be a number";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            return value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null
                : "must be a date and time as text, e.g. \"2026-01-02T03:04:05Z\"";
        if (type.IsEnum)
            return value.ValueKind == JsonValueKind.String ? null : "must be a string";
        return null;
    }

    private static string? WholeNumber(JsonElement value, long min, long max, Func<JsonElement, bool> fits)
    {
        if (value.ValueKind != JsonValueKind.Number) return "must be a number (a whole number, without quotes)";
        return fits(value) ? null : $"must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Join(string path, string name)
    {
        var shown = name.Length > MaxShownNameLength ? name[..MaxShownNameLength] + "…" : name;
        return path.Length == 0 ? shown : $"{path}.{shown}";
    }

    private static string Field(string path) => path.Length == 0 ? "body" : path;
}
