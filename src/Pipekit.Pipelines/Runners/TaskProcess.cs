using System.Diagnostics;
using Pipekit.Pipelines.Execution;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// Starts one task process in a process group of its own, pumps its stdout and stderr into the task log, and on
/// cancellation (a timeout or a cancel) stops the whole group: SIGTERM, a short grace, then SIGKILL. When the
/// process ends by itself, whatever it left running in its group is killed too, so no orphan outlives its task.
/// </summary>
internal static class TaskProcess
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public static async Task<AttemptOutcome> RunAsync(IReadOnlyList<string> command, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TaskLog log, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var part in command) start.ArgumentList.Add(part);
        start.Environment.Clear();
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return AttemptOutcome.Failed($"cannot start {command[0]}: {ex.Message}");
        }
        var group = process.Id;
        // Tasks get no input: a script that reads stdin sees end of file instead of waiting forever.
        process.StandardInput.Close();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, log), PumpAsync(process.StandardError, log));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.Signal(group, ProcessGroup.SigTerm);
            using var grace = new CancellationTokenSource(Grace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Ignored SIGTERM: SIGKILL below.
            }
            ProcessGroup.Signal(group, ProcessGroup.SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps;
            throw;
        }
        finally
        {
            if (ProcessGroup.Exists(group)) ProcessGroup.Signal(group, ProcessGroup.SigKill);
        }
        await pumps;
        return AttemptOutcome.Exited(process.ExitCode);
    }

    private static async Task PumpAsync(StreamReader reader, TaskLog log)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line) log.Line(line);
    }
}
