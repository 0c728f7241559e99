using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Server.Json;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// Every <c>--json</c> output is written with the API's own options (<see cref="ApiJson"/>): snake_case, enums as text,
/// ISO 8601 UTC timestamps with milliseconds, every string through the redactor. Commands print the API's contracts
/// (<c>Pipekit.Server.Api.Contracts</c>), so one object has one JSON shape wherever it is read.
/// </summary>
internal static class JsonOutput
{
    public static async Task WriteAsync<T>(CliContext ctx, T value, CancellationToken ct)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options, await ctx.GetAsync<Redactor>(ct));
        await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(value, options));
    }
}
