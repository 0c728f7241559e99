using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>How runs read in tables: one line per error, and a run's status in words.</summary>
internal static class RunText
{
    /// <summary>
    /// A database error that spans lines (PostgreSQL's DETAIL and HINT, a driver's stack of causes) folded into one line,
    /// cut at <paramref name="max"/> characters; the whole text is in <c>pipekit runs show</c>.
    /// </summary>
    public static string OneLine(string? text, int max = int.MaxValue)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var folded = string.Join(" | ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return folded.Length <= max ? folded : folded[..(max - 1)] + "…";
    }

    /// <summary>
    /// <c>success</c>; <c>success, drift</c> when the verification after the run found source and destination apart;
    /// <c>…, hook failed</c> when the merge landed and a hook failed afterwards.
    /// </summary>
    public static string Status(RunLogEntry run) =>
        run.Status.ToText() + (run.Drift ? ", drift" : "") + (run.HookFailed ? ", hook failed" : "");
}
