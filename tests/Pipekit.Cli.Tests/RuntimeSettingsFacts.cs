using System.Text.Json;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// The runtime settings every <c>pipekit</c> process starts with, read from the runtimeconfig.json the CLI these tests
/// run beside was built with: dynamic PGO and W^X off (src/Pipekit.Cli/PipekitProcess.props), idle pool threads not
/// spinning (Directory.Build.props); docs/sync.md, "Dynamic PGO off" and "Start-up time".
/// </summary>
public sealed class RuntimeSettingsFacts
{
    [Fact]
    public async Task The_cli_runs_without_dynamic_pgo_w_x_or_pool_spinning()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "pipekit.runtimeconfig.json");
        await using var file = File.OpenRead(path);
        using var config = await JsonDocument.ParseAsync(file, cancellationToken: CancellationToken.None);
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.EnableWriteXorExecute").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
