using Pipekit.Core.Retries;
using Pipekit.Core.Configuration;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Server.Api.Contracts;

/// <summary>
/// A module as the API and <c>pipekit modules show --json</c> show it: the module with its watermarks and hooks.
/// <c>running</c> says a run holds its lock; who holds it and since when are the lock's internals and stay out.
/// </summary>
internal sealed record ModuleDto(long Id, string Name, string? Project, long SourceConnectionId, long DestConnectionId, string DestTable,
    string SourceQuery, MergeStrategy MergeStrategy, string? MergeKey, IReadOnlyList<ModuleColumn> Columns, bool Enabled, string? Notes,
    string? NextResolvedQuery, string? NextMergeSql, bool Running,
    IReadOnlyList<WatermarkDto> Watermarks, IReadOnlyList<HookDto> Hooks, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string DeleteDetection, string? KeysQuery, bool AllowEmptySource, string SchemaChange, string Verify, bool HooksMayFail, string FullLoad,
    int Retries, string RetryDelay, string RetryBackoff)
{
    public static ModuleDto From(Module m) => new(m.Id, m.Name, m.Project, m.SourceConnectionId, m.DestConnectionId, m.DestTable, m.SourceQuery,
        m.MergeStrategy, m.MergeKey, m.Columns, m.Enabled, m.Notes, m.NextResolvedQuery, m.NextMergeSql, m.Running,
        m.Watermarks.Select(WatermarkDto.From).ToList(), m.Hooks.Select(HookDto.From).ToList(), m.CreatedAt, m.UpdatedAt,
        m.DeleteDetection.ToText(), m.KeysQuery, m.AllowEmptySource, m.SchemaChange.ToText(), m.Verify.ToText(), m.HooksMayFail, m.FullLoad.ToText(),
        m.Retries, DurationText.Format(m.RetryDelay), m.RetryBackoff.ToText());
}

/// <summary>
/// Body of module create and update, and the shape <c>introspect/propose</c> returns. On update a field left out
/// (null) keeps its value; <c>watermarks</c> and <c>hooks</c>, when given, replace the lists (entries with an
/// <c>id</c> keep their rows).
/// </summary>
internal sealed record ModuleInput(string? Name, string? Project, long? SourceConnectionId, long? DestConnectionId, string? DestTable,
    string? SourceQuery, string? MergeStrategy, string? MergeKey, IReadOnlyList<ModuleColumn>? Columns, bool? Enabled, string? Notes,
    IReadOnlyList<WatermarkInput>? Watermarks, IReadOnlyList<HookInput>? Hooks,
    string? DeleteDetection = null, string? KeysQuery = null, bool? AllowEmptySource = null, string? SchemaChange = null, string? Verify = null,
    bool? HooksMayFail = null, string? FullLoad = null,
    int? Retries = null, string? RetryDelay = null, string? RetryBackoff = null)
{
    public static ModuleInput From(Module m) => new(m.Name, m.Project, m.SourceConnectionId, m.DestConnectionId, m.DestTable, m.SourceQuery,
        m.MergeStrategy.ToString().ToLowerInvariant(), m.MergeKey, m.Columns, m.Enabled, m.Notes,
        m.Watermarks.Select(w => new WatermarkInput(w.Id == 0 ? null : w.Id, null, w.Name, w.ConnectionId, w.ResolverSql, w.DefaultValue)).ToList(),
        m.Hooks.Select(h => new HookInput(h.Id == 0 ? null : h.Id, null, h.RunOrder, h.ConnectionId, h.Sql, h.RunOn.ToString().ToLowerInvariant())).ToList(),
        m.DeleteDetection.ToText(), m.KeysQuery, m.AllowEmptySource, m.SchemaChange.ToText(), m.Verify.ToText(), m.HooksMayFail, m.FullLoad.ToText(),
        m.Retries, DurationText.Format(m.RetryDelay), m.RetryBackoff.ToText());

    /// <summary>The module this body describes, on top of <paramref name="current"/> for an update; unreadable fields are validation errors.</summary>
    public Module ToModule(Module? current)
    {
        var errors = new ValidationErrors();
        if (current is null)
        {
            if (string.IsNullOrWhiteSpace(Name)) errors.Add("name", "is required");
            if (SourceConnectionId is null) errors.Add("source_connection_id", "is required");
            if (DestConnectionId is null) errors.Add("dest_connection_id", "is required");
            if (string.IsNullOrWhiteSpace(DestTable)) errors.Add("dest_table", "is required, e.g. warehouse.orders");
            if (string.IsNullOrWhiteSpace(SourceQuery)) errors.Add("source_query", "is required");
        }
        var strategy = current?.MergeStrategy ?? Sync.Modules.MergeStrategy.Full;
        if (MergeStrategy is not null && !Enum.TryParse(MergeStrategy, ignoreCase: true, out strategy) || int.TryParse(MergeStrategy, out _))
            errors.Add("merge_strategy", $"'{MergeStrategy}' is not a merge strategy (full, incremental, append)");
        var deletes = current?.DeleteDetection ?? Sync.Modules.DeleteDetection.None;
        if (DeleteDetection is not null && !ModuleOptionText.TryParse(DeleteDetection, out deletes))
            errors.Add("delete_detection", $"'{DeleteDetection}' must be none, hard or soft");
        var schemaChange = current?.SchemaChange ?? SchemaChangeRule.Fail;
        if (SchemaChange is not null && !ModuleOptionText.TryParse(SchemaChange, out schemaChange))
            errors.Add("schema_change", $"'{SchemaChange}' must be fail, add_columns or evolve");
        var verify = current?.Verify ?? VerifyMode.None;
        if (Verify is not null && !ModuleOptionText.TryParse(Verify, out verify))
            errors.Add("verify", $"'{Verify}' must be none, counts or keys");
        var fullLoad = current?.FullLoad ?? Sync.Modules.FullLoad.Staging;
        if (FullLoad is not null && !ModuleOptionText.TryParse(FullLoad, out fullLoad))
            errors.Add("full_load", $"'{FullLoad}' must be staging, direct or swap");
        var retryDelay = current?.RetryDelay ?? RetryPolicy.DefaultDelay;
        if (RetryDelay is not null && !DurationText.TryParse(RetryDelay, out retryDelay))
            errors.Add("retry_delay", $"'{RetryDelay}' is not a duration; write e.g. \"30s\", \"2m\" or \"1m30s\"");
        var retryBackoff = current?.RetryBackoff ?? Core.Retries.RetryBackoff.Fixed;
        if (RetryBackoff is not null && !ModuleOptionText.TryParse(RetryBackoff, out retryBackoff))
            errors.Add("retry_backoff", $"'{RetryBackoff}' must be fixed or exponential");
        var watermarks = Watermarks?.Select((w, i) => w.ToWatermark(current?.Id ?? 0, $"watermarks[{i}]", errors)).ToList();
        var hooks = Hooks?.Select((h, i) => h.ToHook(current?.Id ?? 0, $"hooks[{i}]", errors)).ToList();
        errors.ThrowIfAny();
        return new Module
        {
            Id = current?.Id ?? 0,
            Name = Name ?? current!.Name,
            Project = Project is null ? current?.Project : Project.Length == 0 ? null : Project,
            SourceConnectionId = SourceConnectionId ?? current!.SourceConnectionId,
            DestConnectionId = DestConnectionId ?? current!.DestConnectionId,
            DestTable = DestTable ?? current!.DestTable,
            SourceQuery = SourceQuery ?? current!.SourceQuery,
            MergeStrategy = strategy,
            MergeKey = MergeKey is null ? current?.MergeKey : MergeKey.Length == 0 ? null : MergeKey,
            Columns = Columns ?? current?.Columns ?? [],
            Enabled = Enabled ?? current?.Enabled ?? true,
            Notes = Notes is null ? current?.Notes : Notes.Length == 0 ? null : Notes,
            Watermarks = watermarks ?? current?.Watermarks ?? [],
            Hooks = hooks ?? current?.Hooks ?? [],
            DeleteDetection = deletes,
            KeysQuery = KeysQuery is null ? current?.KeysQuery : KeysQuery.Length == 0 ? null : KeysQuery,
            AllowEmptySource = AllowEmptySource ?? current?.AllowEmptySource ?? false,
            SchemaChange = schemaChange,
            Verify = verify,
            HooksMayFail = HooksMayFail ?? current?.HooksMayFail ?? false,
            FullLoad = fullLoad,
            Retries = Retries ?? current?.Retries ?? 0,
            RetryDelay = retryDelay,
            RetryBackoff = retryBackoff,
        };
    }
}

internal sealed record WatermarkDto(long Id, long ModuleId, string Name, long ConnectionId, string ResolverSql, string? DefaultValue)
{
    public static WatermarkDto From(Watermark w) => new(w.Id, w.ModuleId, w.Name, w.ConnectionId, w.ResolverSql, w.DefaultValue);
}

/// <summary>A watermark in a module body (with <c>id</c> to keep an existing one), or the body of the watermark resource.</summary>
internal sealed record WatermarkInput(long? Id, long? ModuleId, string? Name, long? ConnectionId, string? ResolverSql, string? DefaultValue)
{
    public Watermark ToWatermark(long moduleId, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(field, "name is required");
        if (ConnectionId is null) errors.Add(field, "connection_id is required");
        if (string.IsNullOrWhiteSpace(ResolverSql)) errors.Add(field, "resolver_sql is required");
        return new Watermark
        {
            Id = Id ?? 0, ModuleId = ModuleId ?? moduleId, Name = Name ?? "", ConnectionId = ConnectionId ?? 0, ResolverSql = ResolverSql ?? "",
            DefaultValue = DefaultValue,
        };
    }

    /// <summary>Update of the watermark resource: fields left out keep their values.</summary>
    public Watermark Apply(Watermark current) => current with
    {
        ModuleId = ModuleId ?? current.ModuleId,
        Name = Name ?? current.Name,
        ConnectionId = ConnectionId ?? current.ConnectionId,
        ResolverSql = ResolverSql ?? current.ResolverSql,
        DefaultValue = DefaultValue is null ? current.DefaultValue : DefaultValue.Length == 0 ? null : DefaultValue,
    };
}

internal sealed record HookDto(long Id, long ModuleId, int RunOrder, long ConnectionId, string Sql, HookRunOn RunOn)
{
    public static HookDto From(Hook h) => new(h.Id, h.ModuleId, h.RunOrder, h.ConnectionId, h.Sql, h.RunOn);
}

/// <summary>A hook in a module body (with <c>id</c> to keep an existing one), or the body of the hook resource.</summary>
internal sealed record HookInput(long? Id, long? ModuleId, int? RunOrder, long? ConnectionId, string? Sql, string? RunOn)
{
    public Hook ToHook(long moduleId, string field, ValidationErrors errors)
    {
        if (ConnectionId is null) errors.Add(field, "connection_id is required");
        if (string.IsNullOrWhiteSpace(Sql)) errors.Add(field, "sql is required");
        return new Hook
        {
            Id = Id ?? 0, ModuleId = ModuleId ?? moduleId, RunOrder = RunOrder ?? 0, ConnectionId = ConnectionId ?? 0, Sql = Sql ?? "",
            RunOn = ParseRunOn(RunOn, HookRunOn.Success, field, errors),
        };
    }

    /// <summary>Update of the hook resource: fields left out keep their values.</summary>
    public Hook Apply(Hook current)
    {
        var errors = new ValidationErrors();
        var hook = current with
        {
            ModuleId = ModuleId ?? current.ModuleId,
            RunOrder = RunOrder ?? current.RunOrder,
            ConnectionId = ConnectionId ?? current.ConnectionId,
            Sql = Sql ?? current.Sql,
            RunOn = ParseRunOn(RunOn, current.RunOn, "run_on", errors),
        };
        errors.ThrowIfAny();
        return hook;
    }

    private static HookRunOn ParseRunOn(string? text, HookRunOn fallback, string field, ValidationErrors errors)
    {
        if (text is null) return fallback;
        if (Enum.TryParse<HookRunOn>(text, ignoreCase: true, out var runOn) && !int.TryParse(text, out _)) return runOn;
        errors.Add(field, $"run_on '{text}' must be success, failure or always");
        return fallback;
    }
}
