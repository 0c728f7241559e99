using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Json;

/// <summary>
/// The API's JSON: snake_case names matching the columns, enums as snake_case text, UTC timestamps, redacted strings
/// except in stored definitions (<see cref="StoredDefinitions"/>). Reading is strict: numbers are numbers (not "5"), a
/// field is given once, and a field the type does not have is an error (<see cref="BodyShapeMiddleware"/> names it
/// first, with a suggestion).
/// </summary>
internal static class ApiJson
{
    /// <summary>Sets up <paramref name="options"/>; <paramref name="http"/> (the server's) lets one response's strings share one look at the secrets.</summary>
    public static void Configure(JsonSerializerOptions options, Redactor redactor, IHttpContextAccessor? http = null)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new RedactingStringConverter(redactor, http));
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(StoredDefinitions.Modify);
    }
}
