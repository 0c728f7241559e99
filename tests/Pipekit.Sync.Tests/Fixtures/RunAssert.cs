using Pipekit.Sync.Runs;
using Xunit;

namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>Assertions on a run's outcome that show the run's error when they fail.</summary>
internal static class RunAssert
{
    public static void Succeeded(RunResult result, long rows)
    {
        Assert.True(result.Status == RunStatus.Success, $"the run ended {result.Status.ToText()}: {result.Error}");
        Assert.Equal(rows, result.RowCount);
    }

    public static void Ended(RunStatus status, RunResult result) =>
        Assert.True(result.Status == status, $"expected {status.ToText()}, the run ended {result.Status.ToText()}: {result.Error}");
}
