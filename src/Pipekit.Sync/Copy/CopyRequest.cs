namespace Pipekit.Sync.Copy;

/// <summary>
/// One <c>pipekit copy</c>: a source table or query on one stored connection into a destination table on another,
/// run as a module through the one run path.
/// </summary>
public sealed record CopyRequest
{
    public required string From { get; init; }

    /// <summary>The source table (<c>schema.table</c>); exactly one of this and <see cref="Query"/>.</summary>
    public string? Table { get; init; }

    public string? Query { get; init; }

    public required string To { get; init; }

    /// <summary>The destination table; defaults to the source table's name when copying a table.</summary>
    public string? ToTable { get; init; }

    /// <summary>full, incremental or append.</summary>
    public string Mode { get; init; } = "full";

    /// <summary>The column(s) that identify a row (incremental).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>A column that grows with every change; only rows past its largest value in the destination are read.</summary>
    public string? UpdateKey { get; init; }

    /// <summary>Keep the module under this name instead of removing it after the run.</summary>
    public string? SaveName { get; init; }
}
