using Pipekit.Chains.Jobs;
using Pipekit.Core.Validation;

namespace Pipekit.Server.Api.Contracts;

/// <summary>Pieces shared by the job DTOs.</summary>
internal static class JobDtoMapping
{
    public static IReadOnlyDictionary<string, string> Files(Dictionary<string, ProjectFileInput>? tree) =>
        (tree ?? []).ToDictionary(f => f.Key,
            f => f.Value?.Content ?? throw new ValidationException("project_tree", $"file '{f.Key}' has no content"), StringComparer.Ordinal);

    /// <summary>A variable's JSON value as a parameter value: a string, a number, a boolean or null.</summary>
    public static object? Variable(string name, System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => value.GetString(),
        System.Text.Json.JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.TryGetDecimal(out var d) ? d : value.GetDouble(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        System.Text.Json.JsonValueKind.Null => null,
        _ => throw new ValidationException("variables", $"variable '{name}' must be a string, a number, true, false or null"),
    };
}

