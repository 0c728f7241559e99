using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Runs;

/// <summary>One <c>run_log</c> row: the immutable record of a module run (seed 002 "Run log / observability").</summary>
public sealed record RunLogEntry
{
    public long Id { get; init; }
    /// <summary>The module that ran; null once that module was deleted (its runs stay, under <see cref="ModuleName"/>).</summary>
    public long? ModuleId { get; init; }
    /// <summary>The module's name when the run started.</summary>
    public string? ModuleName { get; init; }
    /// <summary>True when the module that ran has been deleted since.</summary>
    public bool ModuleDeleted => ModuleId is null;
    /// <summary>The module's name as listings show it: with "(deleted)" after it once the module is gone.</summary>
    public string ModuleLabel => ModuleDeleted ? $"{ModuleName} (deleted)" : ModuleName ?? "";
    public long? GroupRunId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public long? RowCount { get; init; }
    public RunStatus Status { get; init; }
    public string? Error { get; init; }
    /// <summary><c>manual</c>, <c>cli</c>, <c>api</c> or <c>schedule:{id}</c>.</summary>
    public string TriggeredBy { get; init; } = "manual";
    /// <summary>The exact SQL that ran on the source.</summary>
    public string? ResolvedSourceSql { get; init; }
    /// <summary>The exact merge SQL that ran on the destination.</summary>
    public string? MergeSql { get; init; }
    /// <summary>Watermark values as a JSON object, e.g. <c>{"since": "'2026-11-01'"}</c>.</summary>
    public string? WatermarkValuesJson { get; init; }
    /// <summary>The transfer engine's summary (the seed's jrunner stdout).</summary>
    public string? TransferLog { get; init; }
    /// <summary>Error detail beyond the one-line error (the seed's jrunner stderr).</summary>
    public string? ErrorDetail { get; init; }
    public string? HookLog { get; init; }
    public bool HookFailed { get; init; }
    /// <summary>The ALTER statements the run made on the destination (schema_change, soft deletes), one per line.</summary>
    public string? SchemaChanges { get; init; }
    /// <summary>Rows deleted (or marked deleted) by delete detection; null when the module has none.</summary>
    public long? DeletedRows { get; init; }
    /// <summary>The verification after the run, as JSON; null when the module does not verify.</summary>
    public string? VerifyJson { get; init; }
    /// <summary>The verification found a difference: shown as <c>success, drift</c>.</summary>
    public bool Drift { get; init; }
    /// <summary>How many attempts the run took: 1, or more when it retried after transient errors (each is in <see cref="LiveLog"/>).</summary>
    public int Attempts { get; init; } = 1;
    /// <summary>Progress lines appended while the run was going.</summary>
    public string LiveLog { get; init; } = "";
}
