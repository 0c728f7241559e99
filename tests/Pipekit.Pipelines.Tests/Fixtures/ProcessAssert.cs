using Xunit;

namespace Pipekit.Pipelines.Tests.Fixtures;

internal static class ProcessAssert
{
    /// <summary>The process is gone, or a zombie waiting for a reaper that is not ours (it runs no code any more).</summary>
    public static async Task GoneAsync(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            if (!IsRunning(pid)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"process {pid} is still running");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
