namespace Pipekit.Cli.Runs;

/// <summary>
/// How a finished run is reported: as JSON (the run record) or as text, and whether a failed hook fails the command
/// (<c>--allow-hook-failure</c>, or the module's <c>hooks_may_fail</c>).
/// </summary>
internal sealed record RunReportOptions(bool Json, bool AllowHookFailure);
