using Pipekit.Core.Retries;

namespace Pipekit.Sync.Files;

/// <summary>
/// A project file kept in git (<c>pipekit apply -f</c>): connections, modules, and groups with their schedules.
/// Everything refers to everything else by name, never by id, so a file works on any installation.
/// </summary>
public sealed record SyncFile(string Path, IReadOnlyList<ModuleSpec> Modules, IReadOnlyList<GroupSpec> Groups)
{
    /// <summary>The <c>[[connections]]</c> entries.</summary>
    public IReadOnlyList<ConnectionSpec> Connections { get; init; } = [];
}

/// <summary>A <c>[[modules]]</c> entry.</summary>
public sealed record ModuleSpec
{
    public required string Name { get; init; }
    public string? Project { get; init; }
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public required string DestTable { get; init; }
    public required string SourceQuery { get; init; }
    public required string Strategy { get; init; }
    public string? MergeKey { get; init; }
    public bool Enabled { get; init; } = true;
    public string? Notes { get; init; }
    /// <summary><c>none</c>, <c>hard</c> or <c>soft</c>; null is none.</summary>
    public string? DeleteDetection { get; init; }
    public string? KeysQuery { get; init; }
    public bool AllowEmptySource { get; init; }
    /// <summary><c>fail</c>, <c>add_columns</c> or <c>evolve</c>; null is fail.</summary>
    public string? SchemaChange { get; init; }
    /// <summary><c>none</c>, <c>counts</c> or <c>keys</c>; null is none.</summary>
    public string? Verify { get; init; }
    /// <summary>A failed hook does not fail <c>pipekit run</c> (the merge stands either way).</summary>
    public bool HooksMayFail { get; init; }

    /// <summary><c>staging</c>, <c>direct</c> or <c>swap</c>; null is staging.</summary>
    public string? FullLoad { get; init; }

    /// <summary>Extra attempts after a transient failure; null is 0.</summary>
    public long? Retries { get; init; }
    /// <summary>A duration (<c>"30s"</c>, <c>"2m"</c>); null is 30s.</summary>
    public string? RetryDelay { get; init; }
    /// <summary><c>fixed</c> or <c>exponential</c>; null is fixed.</summary>
    public string? RetryBackoff { get; init; }
    public IReadOnlyList<Modules.ModuleColumn> Columns { get; init; } = [];
    public IReadOnlyList<WatermarkSpec> Watermarks { get; init; } = [];
    public IReadOnlyList<HookSpec> Hooks { get; init; } = [];
}

/// <summary>A <c>[[modules.watermarks]]</c> entry.</summary>
public sealed record WatermarkSpec(string Name, string Connection, string ResolverSql, string? Default);

/// <summary>A <c>[[modules.hooks]]</c> entry.</summary>
public sealed record HookSpec(int Order, string Connection, string Sql, string RunOn);

/// <summary>A <c>[[groups]]</c> entry; <see cref="Modules"/> run in the order listed.</summary>
public sealed record GroupSpec(string Name, bool StopOnFailure, IReadOnlyList<string> Modules)
{
    /// <summary>The <c>[[groups.schedules]]</c> entries.</summary>
    public IReadOnlyList<ScheduleSpec> Schedules { get; init; } = [];
}
