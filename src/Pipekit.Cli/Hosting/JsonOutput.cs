using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipekit.Cli.Hosting;

/// <summary>The JSON shape of every <c>--json</c> listing: snake_case, ISO 8601 UTC timestamps, nulls kept.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
