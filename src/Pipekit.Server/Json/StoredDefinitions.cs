using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Modules;

namespace Pipekit.Server.Json;

/// <summary>
/// The rule that keeps redaction out of stored definitions: a module, watermark, hook, column, connection, group or
/// schedule is returned as it is stored, because a client reads it to write it back, and a mask written back would
/// destroy it (a table named like a secret's value would become <c>***.orders</c>). Definitions bear no secrets: a
/// connection cannot hold a password (only a <c>$NAME</c> reference; <c>ConnectionValidator</c> refuses every other
/// form), and what a user typed into a query is theirs. The one exception is a connection's URL (see below). What a run produced is different: resolved SQL, run output,
/// logs and errors are redacted as everything else is.
/// </summary>
internal static class StoredDefinitions
{
    // The definition types, each with the string properties (JSON names) that are not definitions but run output.
    private static readonly FrozenDictionary<Type, FrozenSet<string>> Types = new Dictionary<Type, FrozenSet<string>>
    {
        [typeof(ModuleDto)] = new[] { "next_resolved_query", "next_merge_sql" }.ToFrozenSet(StringComparer.Ordinal),
        [typeof(ModuleInput)] = FrozenSet<string>.Empty,
        [typeof(ModuleColumn)] = FrozenSet<string>.Empty,
        [typeof(WatermarkDto)] = FrozenSet<string>.Empty,
        [typeof(WatermarkInput)] = FrozenSet<string>.Empty,
        [typeof(HookDto)] = FrozenSet<string>.Empty,
        [typeof(HookInput)] = FrozenSet<string>.Empty,
        // A URL stored before literal passwords were refused may still hold one, so it stays masked; the update refuses a
        // URL holding the mask, so a masked URL cannot be written back.
        [typeof(ConnectionDto)] = new[] { "url" }.ToFrozenSet(StringComparer.Ordinal),
        [typeof(GroupDto)] = FrozenSet<string>.Empty,
        [typeof(GroupMemberDto)] = FrozenSet<string>.Empty,
        [typeof(ScheduleDto)] = FrozenSet<string>.Empty,
    }.ToFrozenDictionary();

    /// <summary>A type-info modifier: the string properties of definition types are written as stored.</summary>
    public static void Modify(JsonTypeInfo info)
    {
        if (!Types.TryGetValue(info.Type, out var runOutput)) return;
        foreach (var property in info.Properties)
            if (property.PropertyType == typeof(string) && !runOutput.Contains(property.Name))
                property.CustomConverter = AsStored.Instance;
    }

    /// <summary>Writes a string as it is; reads as the default does.</summary>
    private sealed class AsStored : JsonConverter<string>
    {
        public static readonly AsStored Instance = new();

        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
