using System.Text;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>The last lines of a task's log file, redacted, for the run page (the whole log stays on disk and in the API's stream).</summary>
internal sealed record TaskLogTail(IReadOnlyList<string> Lines, bool Truncated, bool Exists)
{
    public const int MaxLines = 500;
    private const int MaxBytes = 256 * 1024;

    public static async Task<TaskLogTail> ReadAsync(string? path, Redactor redactor, CancellationToken ct)
    {
        if (path is null || !File.Exists(path)) return new TaskLogTail([], false, false);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var truncated = stream.Length > MaxBytes;
        if (truncated) stream.Seek(-MaxBytes, SeekOrigin.End);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var lines = text.Split('\n').ToList();
        if (truncated && lines.Count > 0) lines.RemoveAt(0); // the first line was cut in the middle
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count > MaxLines)
        {
            lines.RemoveRange(0, lines.Count - MaxLines);
            truncated = true;
        }
        return new TaskLogTail(lines.Select(l => redactor.Redact(l.TrimEnd('\r'))).ToList(), truncated, true);
    }

    /// <summary>Lines the log panel highlights: errors, failures, tracebacks, timeouts and retry separators.</summary>
    public static bool IsError(string line) =>
        line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("failed", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Traceback", StringComparison.Ordinal) || line.Contains("timed out", StringComparison.Ordinal);
}
