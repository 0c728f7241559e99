namespace Pipekit.Pipelines.Projects;

/// <summary>
/// One Pit project: <c>projects/&lt;dir&gt;/pit.toml</c> with its <c>[dag]</c>, <c>[dag.sql]</c>, <c>[[tasks]]</c> and
/// <c>[[outputs]]</c>. Paths are absolute; task scripts are relative to <see cref="Directory"/>.
/// </summary>
public sealed record PitProject
{
    /// <summary>The DAG name: <c>[dag].name</c>, else the directory name.</summary>
    public required string Name { get; init; }

    /// <summary>The project directory (absolute).</summary>
    public required string Directory { get; init; }

    /// <summary>The <c>pit.toml</c> the project was read from.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The line of <c>[dag]</c> (1 when absent), for messages.</summary>
    public int Line { get; init; } = 1;

    /// <summary>Optional cron expression (5 or 6 fields), evaluated in UTC.</summary>
    public string? Schedule { get; init; }

    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;

    /// <summary>Whole-run timeout, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>DAGs whose latest run must have succeeded after this DAG's previous run started.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary><c>[dag.sql].connection</c>: the secret key holding the connection string of <c>.sql</c> tasks.</summary>
    public string? SqlConnection { get; init; }

    public IReadOnlyList<PitTask> Tasks { get; init; } = [];

    public IReadOnlyList<PitOutput> Outputs { get; init; } = [];

    public PitTask? FindTask(string name) => Tasks.FirstOrDefault(t => t.Name == name);
}
