using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Server.Logging;
using Xunit;

namespace Pipekit.Server.Tests.Logging;

public sealed class JsonLineFormatterFacts
{
    [Fact]
    public void A_line_is_one_flat_JSON_object_with_message_and_scope_fields_as_snake_case_keys()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var request = scopes.Push(new Dictionary<string, object> { ["request_id"] = "0HN:00000001", ["module"] = "outer" });
        using var run = scopes.Push(new Dictionary<string, object> { ["run_id"] = 42L, ["module"] = "orders" });
        List<KeyValuePair<string, object?>> state =
        [
            new("Module", "orders"), new("RowCount", 1500), new("Ok", true), new("{OriginalFormat}", "Module {Module} moved {RowCount} rows"),
        ];
        using var output = new StringWriter();

        new JsonLineFormatter().Write(
            new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Warning, "Pipekit.Sync", default, state, new InvalidOperationException("boom"),
                (_, _) => "Module orders moved 1500 rows"),
            scopes, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.IsType<JsonObject>(JsonNode.Parse(Assert.Single(lines)));
        Assert.Equal("warn", (string)line["level"]!);
        Assert.Equal("Pipekit.Sync", (string)line["category"]!);
        Assert.Equal("Module orders moved 1500 rows", (string)line["message"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)line["timestamp"]!);
        Assert.Equal(1500, (long)line["row_count"]!);
        Assert.True((bool)line["ok"]!);
        Assert.Equal(42, (long)line["run_id"]!);
        Assert.Equal("0HN:00000001", (string)line["request_id"]!);
        // The message's own field wins over the scopes', and the inner scope over the outer one.
        Assert.Equal("orders", (string)line["module"]!);
        Assert.Contains("boom", (string)line["exception"]!);
        Assert.DoesNotContain(line, p => p.Key.Contains("OriginalFormat", StringComparison.Ordinal));
    }
}
