using Pipekit.Core.Retries;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Validation;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Hooks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Files;

/// <summary>
/// Compares what project files declare with what the state holds and builds a <see cref="ProjectPlan"/>. Every
/// problem in every file is collected first; a plan exists only when there is none, so applying it cannot fail on
/// input.
/// </summary>
internal sealed class ProjectPlanner
{
    private readonly ConnectionValidator _validator;
    private readonly DriverRegistry _drivers;
    private readonly DateTimeOffset _now;
    private readonly ValidationErrors _errors = new();
    private readonly ProjectPlan _plan = new();
    private readonly Dictionary<string, long> _connectionIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prunedConnections = new(StringComparer.Ordinal);
    // Every connection a module may name, by id (a declared new one by its negative placeholder id): the destination's
    // driver decides which column types a module may ask for.
    private readonly Dictionary<long, ConnectionRecord> _connectionRecords = new();

    public ProjectPlanner(ConnectionValidator validator, DriverRegistry drivers, DateTimeOffset now)
    {
        _validator = validator;
        _drivers = drivers;
        _now = now;
    }

    /// <summary>The state a plan is made against.</summary>
    public sealed record Current(IReadOnlyList<ConnectionRecord> Connections, IReadOnlyList<Module> Modules, IReadOnlyList<Group> Groups,
        IReadOnlyList<Schedule> GroupSchedules);

    public ProjectPlan Plan(IReadOnlyList<SyncFile> files, ApplyOptions options, Current current)
    {
        var connectionSpecs = files.SelectMany(f => f.Connections.Select(c => (File: f.Path, Spec: c))).ToList();
        var moduleSpecs = files.SelectMany(f => f.Modules.Select(m => (File: f.Path, Spec: m))).ToList();
        var groupSpecs = files.SelectMany(f => f.Groups.Select(g => (File: f.Path, Spec: g))).ToList();
        if (connectionSpecs.Count == 0 && moduleSpecs.Count == 0 && groupSpecs.Count == 0)
            throw new ValidationException("file", $"no [[connections]], [[modules]] or [[groups]] found in {string.Join(", ", files.Select(f => f.Path))}");
        Duplicates("connections", "connection", connectionSpecs.Select(c => (c.File, c.Spec.Name)));
        Duplicates("modules", "module", moduleSpecs.Select(m => (m.File, m.Spec.Name)));
        Duplicates("groups", "group", groupSpecs.Select(g => (g.File, g.Spec.Name)));
        _errors.ThrowIfAny();

        PlanConnections(connectionSpecs, options, current.Connections);
        PlanModules(moduleSpecs, options, current);
        PlanGroups(groupSpecs, options, current);
        PlanRemovals(options, current, connectionSpecs.Select(c => c.Spec.Name), moduleSpecs.Select(m => m.Spec.Name), groupSpecs.Select(g => g.Spec.Name));
        _errors.ThrowIfAny();
        return _plan;
    }

    private void Duplicates(string field, string kind, IEnumerable<(string File, string Name)> names)
    {
        foreach (var dup in names.GroupBy(n => n.Name).Where(g => g.Count() > 1))
            _errors.Add(field, $"{kind} '{dup.Key}' is declared {dup.Count()} times ({string.Join(", ", dup.Select(d => d.File).Distinct())})");
    }

    private void PlanConnections(List<(string File, ConnectionSpec Spec)> specs, ApplyOptions options, IReadOnlyList<ConnectionRecord> existing)
    {
        var byName = existing.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var declared = specs.Select(s => s.Spec.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var c in existing)
        {
            _connectionRecords[c.Id] = c;
            if (!options.Prune || declared.Contains(c.Name)) _connectionIds[c.Name] = c.Id;
            else _prunedConnections.Add(c.Name);
        }
        var next = -1L;
        foreach (var (_, spec) in specs)
            if (!_connectionIds.ContainsKey(spec.Name)) _connectionIds[spec.Name] = next--;
        var namesById = existing.ToDictionary(c => c.Id, c => c.Name);

        foreach (var (file, spec) in specs)
        {
            long? defaultDest = null;
            if (spec.DefaultDestConnection is { } destName)
            {
                if (destName == spec.Name)
                    _errors.Add($"{spec.Name}.default_dest_connection", "a connection cannot be its own default destination; name another connection");
                else if (_connectionIds.TryGetValue(destName, out var destId)) defaultDest = destId;
                else
                    _errors.Add($"{spec.Name}.default_dest_connection", $"connection '{destName}' is neither declared in {file} nor stored{ClosestName.Hint(destName, _connectionIds.Keys)}");
            }
            ConnectionRecord record;
            try
            {
                record = _validator.Validate(new ConnectionRecord
                {
                    Name = spec.Name, Driver = spec.Driver ?? "", Url = spec.Url, Username = spec.Username, Password = spec.Password, Dialect = spec.Dialect,
                    Project = spec.Project, DefaultDestSchema = spec.DefaultDestSchema, Notes = spec.Notes,
                });
            }
            catch (ValidationException ex)
            {
                AddAll(spec.Name, ex);
                continue;
            }
            record = record with { Id = _connectionIds[spec.Name], DefaultDestConnectionId = defaultDest };
            _connectionRecords[record.Id] = record;
            if (!byName.TryGetValue(spec.Name, out var stored))
            {
                _plan.ConnectionWrites.Add(record);
                _plan.Changes.Add(new ApplyChange("connection", spec.Name, ApplyAction.Created));
                continue;
            }
            var changed = new List<string>();
            void Compare(string field, string? a, string? b)
            {
                if (!string.Equals(a ?? "", b ?? "", StringComparison.Ordinal)) changed.Add(field);
            }
            Compare("driver", stored.Driver, record.Driver);
            Compare("url", stored.Url, record.Url);
            Compare("username", stored.Username, record.Username);
            Compare("password", stored.Password, record.Password);
            Compare("dialect", stored.Dialect, record.Dialect);
            Compare("project", stored.Project, record.Project);
            Compare("default_dest_connection", stored.DefaultDestConnectionId is { } d && namesById.TryGetValue(d, out var n) ? n : null, spec.DefaultDestConnection);
            Compare("default_dest_schema", stored.DefaultDestSchema, record.DefaultDestSchema);
            Compare("notes", stored.Notes, record.Notes);
            if (changed.Count > 0) _plan.ConnectionWrites.Add(record with { CreatedAt = stored.CreatedAt });
            _plan.Changes.Add(new ApplyChange("connection", spec.Name, changed.Count > 0 ? ApplyAction.Updated : ApplyAction.Unchanged) { ChangedFields = changed });
        }
    }

    private void PlanModules(List<(string File, ModuleSpec Spec)> specs, ApplyOptions options, Current current)
    {
        var existing = current.Modules.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var connectionNames = current.Connections.ToDictionary(c => c.Id, c => c.Name);
        var knownIds = _connectionIds.Values.ToHashSet();
        foreach (var m in current.Modules.Where(m => !options.Prune || specs.Any(s => s.Spec.Name == m.Name))) _plan.ModuleIds[m.Name] = m.Id;
        foreach (var (file, spec) in specs)
        {
            try
            {
                var module = Build(spec, file);
                existing.TryGetValue(spec.Name, out var stored);
                if (stored is not null) module = KeepChildIds(module with { Id = stored.Id }, stored);
                var destination = _connectionRecords.GetValueOrDefault(module.DestConnectionId);
                ModuleValidator.Validate(module, knownIds, DestinationTypes.Of(destination, _drivers), DestinationTypes.Engine(destination, _drivers));
                if (stored is null)
                {
                    _plan.ModuleWrites.Add(module);
                    _plan.Changes.Add(new ApplyChange("module", spec.Name, ApplyAction.Created));
                    continue;
                }
                var changed = ModuleChanges(stored, module, connectionNames);
                if (changed.Count > 0) _plan.ModuleWrites.Add(module);
                _plan.Changes.Add(new ApplyChange("module", spec.Name, changed.Count > 0 ? ApplyAction.Updated : ApplyAction.Unchanged) { ChangedFields = changed });
            }
            catch (ValidationException ex)
            {
                AddAll(spec.Name, ex);
            }
        }
    }

    private Module Build(ModuleSpec spec, string file)
    {
        var errors = new ValidationErrors();
        long Connection(string name, string field)
        {
            if (_connectionIds.TryGetValue(name, out var id)) return id;
            if (_prunedConnections.Contains(name))
            {
                errors.Add(field, $"connection '{name}' is not declared in the files, so --prune would remove it; declare it in [[connections]]");
                return 0;
            }
            errors.Add(field, $"connection '{name}' does not exist (in {file}); declare it in [[connections]] or add it with 'pipekit connections add {name}'"
                + ClosestName.Hint(name, _connectionIds.Keys));
            return 0;
        }
        if (!Enum.TryParse<MergeStrategy>(spec.Strategy, ignoreCase: true, out var strategy) || !Enum.IsDefined(strategy))
            errors.Add("merge_strategy", $"'{spec.Strategy}' is not a merge strategy (full, incremental, append)");
        var deletes = DeleteDetection.None;
        if (spec.DeleteDetection is not null && !ModuleOptionText.TryParse(spec.DeleteDetection, out deletes))
            errors.Add("delete_detection", $"'{spec.DeleteDetection}' must be none, hard or soft");
        var schemaChange = SchemaChangeRule.Fail;
        if (spec.SchemaChange is not null && !ModuleOptionText.TryParse(spec.SchemaChange, out schemaChange))
            errors.Add("schema_change", $"'{spec.SchemaChange}' must be fail, add_columns or evolve");
        var verify = VerifyMode.None;
        if (spec.Verify is not null && !ModuleOptionText.TryParse(spec.Verify, out verify))
            errors.Add("verify", $"'{spec.Verify}' must be none, counts or keys");
        var fullLoad = FullLoad.Staging;
        if (spec.FullLoad is not null && !ModuleOptionText.TryParse(spec.FullLoad, out fullLoad))
            errors.Add("full_load", $"'{spec.FullLoad}' must be staging, direct or swap");
        var retryDelay = RetryPolicy.DefaultDelay;
        if (spec.RetryDelay is not null && !DurationText.TryParse(spec.RetryDelay, out retryDelay))
            errors.Add("retry_delay", $"'{spec.RetryDelay}' is not a duration; write e.g. \"30s\", \"2m\" or \"1m30s\"");
        var retryBackoff = RetryBackoff.Fixed;
        if (spec.RetryBackoff is not null && !ModuleOptionText.TryParse(spec.RetryBackoff, out retryBackoff))
            errors.Add("retry_backoff", $"'{spec.RetryBackoff}' must be fixed or exponential");
        if (spec.Retries is < 0 or > RetryPolicy.MaxRetries)
            errors.Add("retries", $"{spec.Retries} must be between 0 and {RetryPolicy.MaxRetries}");
        var module = new Module
        {
            Name = spec.Name, Project = spec.Project, SourceConnectionId = Connection(spec.Source, "source"),
            DestConnectionId = Connection(spec.Destination, "destination"), DestTable = spec.DestTable, SourceQuery = spec.SourceQuery,
            MergeStrategy = strategy, MergeKey = spec.MergeKey, Enabled = spec.Enabled, Notes = spec.Notes, Columns = spec.Columns,
            DeleteDetection = deletes, KeysQuery = spec.KeysQuery, AllowEmptySource = spec.AllowEmptySource, SchemaChange = schemaChange, Verify = verify,
            HooksMayFail = spec.HooksMayFail,
            FullLoad = fullLoad,
            Retries = (int)Math.Clamp(spec.Retries ?? 0, 0, RetryPolicy.MaxRetries), RetryDelay = retryDelay, RetryBackoff = retryBackoff,
            Watermarks = spec.Watermarks.Select(w => new Watermark
            {
                Name = w.Name, ConnectionId = Connection(w.Connection, $"watermarks.{w.Name}"), ResolverSql = w.ResolverSql, DefaultValue = w.Default,
            }).ToList(),
            Hooks = spec.Hooks.Select(h =>
            {
                if (!Enum.TryParse<HookRunOn>(h.RunOn, ignoreCase: true, out var runOn) || !Enum.IsDefined(runOn))
                    errors.Add("hooks", $"run_on '{h.RunOn}' must be success, failure or always");
                return new Hook { RunOrder = h.Order, ConnectionId = Connection(h.Connection, "hooks"), Sql = h.Sql, RunOn = runOn };
            }).ToList(),
        };
        errors.ThrowIfAny();
        return module;
    }

    // Watermarks (by name) and hooks (by order) keep their rows, and so their ids, across an apply. Each stored row is
    // matched once: two hooks with one run_order must stay two rows, not be written over one another.
    private static Module KeepChildIds(Module module, Module stored)
    {
        var watermarks = new HashSet<long>();
        var hooks = new HashSet<long>();
        return module with
        {
            Watermarks = module.Watermarks.Select(w => w with { Id = Claim(stored.Watermarks.Where(s => s.Name == w.Name).Select(s => s.Id), watermarks) }).ToList(),
            Hooks = module.Hooks.Select(h => h with { Id = Claim(stored.Hooks.Where(s => s.RunOrder == h.RunOrder).Select(s => s.Id), hooks) }).ToList(),
        };
    }

    private static long Claim(IEnumerable<long> candidates, HashSet<long> used)
    {
        foreach (var id in candidates)
            if (used.Add(id)) return id;
        return 0;
    }

    private List<string> ModuleChanges(Module a, Module b, IReadOnlyDictionary<long, string> connectionNames)
    {
        string Conn(long id) => connectionNames.TryGetValue(id, out var n) ? n : _connectionIds.FirstOrDefault(c => c.Value == id).Key ?? id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var changed = new List<string>();
        void Compare(string field, object? x, object? y)
        {
            if (!Equals(x, y)) changed.Add(field);
        }
        Compare("project", a.Project, b.Project);
        Compare("source", Conn(a.SourceConnectionId), Conn(b.SourceConnectionId));
        Compare("destination", Conn(a.DestConnectionId), Conn(b.DestConnectionId));
        Compare("dest_table", a.DestTable, b.DestTable);
        Compare("source_query", a.SourceQuery, b.SourceQuery);
        Compare("merge_strategy", a.MergeStrategy, b.MergeStrategy);
        Compare("merge_key", a.MergeKey, b.MergeKey);
        Compare("enabled", a.Enabled, b.Enabled);
        Compare("notes", a.Notes, b.Notes);
        Compare("delete_detection", a.DeleteDetection, b.DeleteDetection);
        Compare("keys_query", a.KeysQuery, b.KeysQuery);
        Compare("allow_empty_source", a.AllowEmptySource, b.AllowEmptySource);
        Compare("schema_change", a.SchemaChange, b.SchemaChange);
        Compare("verify", a.Verify, b.Verify);
        Compare("hooks_may_fail", a.HooksMayFail, b.HooksMayFail);
        Compare("full_load", a.FullLoad, b.FullLoad);
        Compare("retries", a.Retries, b.Retries);
        Compare("retry_delay", a.RetryDelay, b.RetryDelay);
        Compare("retry_backoff", a.RetryBackoff, b.RetryBackoff);
        if (!a.Columns.SequenceEqual(b.Columns)) changed.Add("columns");
        if (!a.Watermarks.Select(w => (w.Name, Conn(w.ConnectionId), w.ResolverSql, w.DefaultValue))
                .SequenceEqual(b.Watermarks.Select(w => (w.Name, Conn(w.ConnectionId), w.ResolverSql, w.DefaultValue))))
            changed.Add("watermarks");
        if (!a.Hooks.OrderBy(h => h.RunOrder).Select(h => (h.RunOrder, Conn(h.ConnectionId), h.Sql, h.RunOn))
                .SequenceEqual(b.Hooks.OrderBy(h => h.RunOrder).Select(h => (h.RunOrder, Conn(h.ConnectionId), h.Sql, h.RunOn))))
            changed.Add("hooks");
        return changed;
    }

    private void PlanGroups(List<(string File, GroupSpec Spec)> specs, ApplyOptions options, Current current)
    {
        var existing = current.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var knownModules = _plan.ModuleIds.Keys.Concat(_plan.ModuleWrites.Select(m => m.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var g in current.Groups.Where(g => !options.Prune || specs.Any(s => s.Spec.Name == g.Name))) _plan.GroupIds[g.Name] = g.Id;
        foreach (var (file, spec) in specs)
        {
            if (GroupValidator.NameProblem(spec.Name) is { } nameProblem) _errors.Add($"{spec.Name}.name", nameProblem);
            foreach (var missing in spec.Modules.Where(m => !knownModules.Contains(m)))
                _errors.Add($"{spec.Name}.modules", $"group '{spec.Name}' lists module '{missing}', which neither exists nor is declared in {file}"
                    + ClosestName.Hint(missing, knownModules));
            foreach (var twice in spec.Modules.GroupBy(m => m).Where(m => m.Count() > 1))
                _errors.Add($"{spec.Name}.modules", $"group '{spec.Name}' lists module '{twice.Key}' {twice.Count()} times; list each module once");
            existing.TryGetValue(spec.Name, out var stored);
            var changed = new List<string>();
            if (stored is not null && stored.StopOnFailure != spec.StopOnFailure) changed.Add("stop_on_failure");
            if (stored is not null && !stored.Members.OrderBy(m => m.RunOrder).Select(m => m.ModuleName).SequenceEqual(spec.Modules)) changed.Add("modules");
            var group = new Group { Id = stored?.Id ?? 0, Name = spec.Name, StopOnFailure = spec.StopOnFailure };
            if (stored is null || changed.Count > 0) _plan.GroupWrites.Add((group, spec.Modules));
            _plan.Changes.Add(new ApplyChange("group", spec.Name, stored is null ? ApplyAction.Created : changed.Count > 0 ? ApplyAction.Updated : ApplyAction.Unchanged)
            {
                ChangedFields = changed,
            });
            PlanSchedules(spec, stored is null ? [] : current.GroupSchedules.Where(s => s.TargetId == stored.Id).ToList(), options);
        }
    }

    private void PlanSchedules(GroupSpec group, IReadOnlyList<Schedule> stored, ApplyOptions options)
    {
        var matched = new HashSet<long>();
        var seen = new HashSet<(string, string)>();
        foreach (var spec in group.Schedules)
        {
            CronSchedule cron;
            try
            {
                cron = CronSchedule.Parse(spec.CronExpr, spec.Timezone);
            }
            catch (ValidationException ex)
            {
                AddAll($"{group.Name}.schedules", ex);
                continue;
            }
            var name = ScheduleName(group.Name, cron.Expression, cron.Zone.Id);
            if (!seen.Add((cron.Expression, cron.Zone.Id)))
            {
                _errors.Add($"{group.Name}.schedules", $"schedule '{cron.Expression}' ({cron.Zone.Id}) is declared twice for group '{group.Name}'");
                continue;
            }
            var same = stored.FirstOrDefault(s => !matched.Contains(s.Id) && s.CronExpr == cron.Expression && s.Timezone == cron.Zone.Id);
            var next = spec.Enabled ? cron.NextFire(same?.LastFiredAt, _now) : null;
            var schedule = new Schedule
            {
                Id = same?.Id ?? 0, TargetKind = GroupScheduleTarget.KindName, CronExpr = cron.Expression, Timezone = cron.Zone.Id, Enabled = spec.Enabled,
                LastFiredAt = same?.LastFiredAt, NextFireAt = next,
            };
            if (same is null)
            {
                _plan.ScheduleWrites.Add((schedule, group.Name));
                _plan.Changes.Add(new ApplyChange("schedule", name, ApplyAction.Created));
                continue;
            }
            matched.Add(same.Id);
            var changed = same.Enabled != spec.Enabled;
            if (changed) _plan.ScheduleWrites.Add((schedule, group.Name));
            _plan.Changes.Add(new ApplyChange("schedule", name, changed ? ApplyAction.Updated : ApplyAction.Unchanged) { ChangedFields = changed ? ["enabled"] : [] });
        }
        if (!options.Prune) return;
        foreach (var s in stored.Where(s => !matched.Contains(s.Id)))
        {
            _plan.ScheduleRemovals.Add(s.Id);
            _plan.Changes.Add(new ApplyChange("schedule", ScheduleName(group.Name, s.CronExpr, s.Timezone), ApplyAction.Removed));
        }
    }

    internal static string ScheduleName(string group, string cron, string zone) => $"{group} '{cron}' {zone}";

    private void PlanRemovals(ApplyOptions options, Current current, IEnumerable<string> connections, IEnumerable<string> modules, IEnumerable<string> groups)
    {
        if (!options.Prune) return;
        var keptGroups = groups.ToHashSet(StringComparer.Ordinal);
        foreach (var g in current.Groups.Where(g => !keptGroups.Contains(g.Name)))
        {
            foreach (var s in current.GroupSchedules.Where(s => s.TargetId == g.Id))
            {
                _plan.ScheduleRemovals.Add(s.Id);
                _plan.Changes.Add(new ApplyChange("schedule", ScheduleName(g.Name, s.CronExpr, s.Timezone), ApplyAction.Removed));
            }
            _plan.GroupRemovals.Add(g.Id);
            _plan.Changes.Add(new ApplyChange("group", g.Name, ApplyAction.Removed));
        }
        var keptModules = modules.ToHashSet(StringComparer.Ordinal);
        foreach (var m in current.Modules.Where(m => !keptModules.Contains(m.Name)))
        {
            if (m.Running)
                _errors.Add($"{m.Name}.prune", $"module '{m.Name}' is running, so --prune will not remove it; wait for the run to end (or cancel it) and apply again");
            _plan.ModuleRemovals.Add((m.Id, m.Name));
            _plan.Changes.Add(new ApplyChange("module", m.Name, ApplyAction.Removed));
        }
        var keptConnections = connections.ToHashSet(StringComparer.Ordinal);
        foreach (var c in current.Connections.Where(c => !keptConnections.Contains(c.Name)))
        {
            _plan.ConnectionRemovals.Add(c.Id);
            _plan.Changes.Add(new ApplyChange("connection", c.Name, ApplyAction.Removed));
        }
    }

    private void AddAll(string prefix, ValidationException ex)
    {
        foreach (var (field, messages) in ex.Errors)
            foreach (var message in messages)
                _errors.Add($"{prefix}.{field}", message);
    }
}
