using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Pipekit.Server.Errors;

/// <summary>
/// Says what a client sent wrong, in its terms, when ASP.NET Core refused a request before a handler ran: a route or
/// query value that is not a number, a missing body, a JSON value of the wrong kind. The framework's own messages name
/// .NET types and parameters (<c>Failed to bind parameter "int? limit"</c>, <c>…to Pipekit.Server.Api.Contracts.ConnectionInput</c>),
/// which mean nothing to a client and describe the server's insides.
/// </summary>
internal static partial class BadRequestText
{
    /// <summary>The field at fault (a query parameter, a JSON path, or "body") and what is wrong with it.</summary>
    public static (string Field, string Message) Describe(BadHttpRequestException failure)
    {
        var message = failure.Message;
        if (failure.InnerException is JsonException json) return DescribeJson(json);
        if (BindFailure().Match(message) is { Success: true } bind)
            return (Name(bind.Groups["name"].Value), $"'{Short(bind.Groups["value"].Value)}' is not {Kind(bind.Groups["type"].Value)}");
        if (Required().Match(message) is { Success: true } required)
            return required.Groups["source"].Value.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? ("body", "is required: send a JSON object with Content-Type: application/json")
                : (Name(required.Groups["name"].Value), "is required");
        if (message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) || message.Contains("body was empty", StringComparison.OrdinalIgnoreCase))
            return ("body", "is required: send a JSON object with Content-Type: application/json");
        if (message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase))
            return ("body", "must be sent as JSON with Content-Type: application/json");
        return ("request", "could not be read; check the route, the query parameters and that the body is a JSON object");
    }

    private static (string Field, string Message) DescribeJson(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var text = json.Message;
        if (text.Contains("could not be mapped to any", StringComparison.Ordinal))
            return (field, "unknown field");
        if (text.Contains("could not be converted to", StringComparison.Ordinal) || text.Contains("cannot be converted", StringComparison.Ordinal))
            return (field, field == "body" ? "must be a JSON object ({ \"field\": value, … })" : "has a value of the wrong kind (a string, number, true/false, list or object)");
        if (text.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return (field, "is given more than once; send each field once");
        var where = json.LineNumber is { } line ? $": line {line + 1}, position {(json.BytePositionInLine ?? 0) + 1}" : "";
        return ("body", $"the body is not valid JSON{where}");
    }

    private static string Kind(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" => "a whole number",
        "bool" or "Boolean" => "true or false",
        "DateTimeOffset" or "DateTime" => "a date and time such as 2026-01-02T03:04:05Z",
        "double" or "decimal" or "float" => "a number",
        _ => "a valid value here",
    };

    // Handler parameters are C# names (sourceConnectionId); the client wrote source_connection_id.
    private static string Name(string parameter) => JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter);

    private static string Short(string value) => value.Length > 64 ? value[..64] + "…" : value;

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.?""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?<type>\S+) (?<name>[^"]+)" was not provided from (?<source>[^.]+)""")]
    private static partial Regex Required();
}
