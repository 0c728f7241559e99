using Pipekit.Query.Results;

namespace Pipekit.Server.Pages.Query;

/// <summary>What one console run shows: the grid, or the error's first line; and how long it took.</summary>
internal sealed record ConsoleResult(ResultGrid? Grid, long ElapsedMs, string? Error);
