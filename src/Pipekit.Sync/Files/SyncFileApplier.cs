using System.Text.Json;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Files;

/// <summary>
/// Applies module and group files: creates or updates by name, and validates everything — connections,
/// placeholders, merge keys, group members — before writing anything, so a bad file changes nothing.
/// </summary>
public sealed class SyncFileApplier
{
    private readonly ModuleRepository _modules;
    private readonly GroupRepository _groups;
    private readonly ConnectionRepository _connections;

    private readonly DriverRegistry _drivers;

    public SyncFileApplier(ModuleRepository modules, GroupRepository groups, ConnectionRepository connections, DriverRegistry drivers)
    {
        _drivers = drivers;
        _modules = modules;
        _groups = groups;
        _connections = connections;
    }

    public async Task<IReadOnlyList<ApplyChange>> ApplyAsync(IReadOnlyList<SyncFile> files, bool modules, bool groups, CancellationToken cancellationToken)
    {
        var connections = (await _connections.ListAsync(cancellationToken)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var existingModules = (await _modules.ListAsync(cancellationToken)).ToDictionary(m => m.Name, StringComparer.Ordinal);
        var existingGroups = (await _groups.ListAsync(cancellationToken)).ToDictionary(g => g.Name, StringComparer.Ordinal);
        var moduleSpecs = modules ? files.SelectMany(f => f.Modules.Select(m => (File: f.Path, Spec: m))).ToList() : [];
        var groupSpecs = groups ? files.SelectMany(f => f.Groups.Select(g => (File: f.Path, Spec: g))).ToList() : [];
        if (moduleSpecs.Count == 0 && groupSpecs.Count == 0)
            throw new ValidationException("file", $"no {(modules && groups ? "[[modules]] or [[groups]]" : modules ? "[[modules]]" : "[[groups]]")} found in {string.Join(", ", files.Select(f => f.Path))}");

        // Everything is built and validated first; nothing is written until all of it passed.
        var errors = new ValidationErrors();
        foreach (var dup in moduleSpecs.GroupBy(m => m.Spec.Name).Where(g => g.Count() > 1))
            errors.Add("modules", $"module '{dup.Key}' is declared {dup.Count()} times ({string.Join(", ", dup.Select(d => d.File).Distinct())})");
        var built = new List<(Module Module, ApplyAction Action)>();
        foreach (var (file, spec) in moduleSpecs)
        {
            try
            {
                var module = Build(spec, connections, file);
                existingModules.TryGetValue(spec.Name, out var current);
                if (current is not null) module = module with { Id = current.Id };
                ModuleValidator.Validate(module, connections.Values.Select(c => c.Id).ToHashSet(),
                    DestinationTypes.Of(connections.Values.FirstOrDefault(c => c.Id == module.DestConnectionId), _drivers));
                built.Add((module, current is null ? ApplyAction.Created : SameDefinition(current, module) ? ApplyAction.Unchanged : ApplyAction.Updated));
            }
            catch (ValidationException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                    foreach (var message in messages)
                        errors.Add($"{spec.Name}.{field}", message);
            }
        }
        var knownModules = existingModules.Keys.Concat(moduleSpecs.Select(m => m.Spec.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var (file, spec) in groupSpecs)
        {
            if (GroupValidator.NameProblem(spec.Name) is { } nameProblem) errors.Add($"{spec.Name}.name", nameProblem);
            foreach (var missing in spec.Modules.Where(m => !knownModules.Contains(m)))
                errors.Add($"{spec.Name}.modules", $"group '{spec.Name}' lists module '{missing}', which neither exists nor is declared in {file}");
            foreach (var twice in spec.Modules.GroupBy(m => m, StringComparer.Ordinal).Where(g => g.Count() > 1))
                errors.Add($"{spec.Name}.modules", $"group '{spec.Name}' lists module '{twice.Key}' {twice.Count()} times; a module is a member once");
        }
        errors.ThrowIfAny();

        var changes = new List<ApplyChange>();
        var saved = (await _modules.SaveAllAsync(built.Where(b => b.Action != ApplyAction.Unchanged).Select(b => b.Module).ToList(), cancellationToken))
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        changes.AddRange(built.Select(b => new ApplyChange("module", b.Module.Name, b.Action)));
        var moduleIds = existingModules.ToDictionary(m => m.Key, m => m.Value.Id, StringComparer.Ordinal);
        foreach (var (name, module) in saved) moduleIds[name] = module.Id;

        foreach (var (_, spec) in groupSpecs)
        {
            var members = spec.Modules.Select((m, i) => new GroupMember(0, moduleIds[m], i + 1)).ToList();
            existingGroups.TryGetValue(spec.Name, out var current);
            var unchanged = current is not null && current.StopOnFailure == spec.StopOnFailure
                && current.Members.Select(m => (m.ModuleId, m.RunOrder)).SequenceEqual(members.Select(m => (m.ModuleId, m.RunOrder)));
            if (!unchanged)
                await _groups.SaveAsync(new Group { Id = current?.Id ?? 0, Name = spec.Name, StopOnFailure = spec.StopOnFailure, Members = members }, cancellationToken);
            changes.Add(new ApplyChange("group", spec.Name, current is null ? ApplyAction.Created : unchanged ? ApplyAction.Unchanged : ApplyAction.Updated));
        }
        return changes;
    }

    private static Module Build(ModuleSpec spec, IReadOnlyDictionary<string, ConnectionRecord> connections, string file)
    {
        var errors = new ValidationErrors();
        long Connection(string name, string field)
        {
            if (connections.TryGetValue(name, out var c)) return c.Id;
            errors.Add(field, $"connection '{name}' does not exist (in {file}); add it with 'pipekit connections add {name}'");
            return -1;
        }
        if (!Enum.TryParse<MergeStrategy>(spec.Strategy, ignoreCase: true, out var strategy))
            errors.Add("strategy", $"'{spec.Strategy}' is not a merge strategy (full, incremental, append)");
        var deletes = DeleteDetection.None;
        if (spec.DeleteDetection is not null && !ModuleOptionText.TryParse(spec.DeleteDetection, out deletes))
            errors.Add("delete_detection", $"'{spec.DeleteDetection}' must be none, hard or soft");
        var schemaChange = SchemaChangeRule.Fail;
        if (spec.SchemaChange is not null && !ModuleOptionText.TryParse(spec.SchemaChange, out schemaChange))
            errors.Add("schema_change", $"'{spec.SchemaChange}' must be fail, add_columns or evolve");
        var verify = VerifyMode.None;
        if (spec.Verify is not null && !ModuleOptionText.TryParse(spec.Verify, out verify))
            errors.Add("verify", $"'{spec.Verify}' must be none, counts or keys");
        var module = new Module
        {
            Name = spec.Name, Project = spec.Project, SourceConnectionId = Connection(spec.Source, "source"),
            DestConnectionId = Connection(spec.Destination, "destination"), DestTable = spec.DestTable, SourceQuery = spec.SourceQuery,
            MergeStrategy = strategy, MergeKey = spec.MergeKey, Enabled = spec.Enabled, Notes = spec.Notes, Columns = spec.Columns,
            DeleteDetection = deletes, KeysQuery = spec.KeysQuery, AllowEmptySource = spec.AllowEmptySource, SchemaChange = schemaChange, Verify = verify,
            Watermarks = spec.Watermarks.Select(w => new Watermark
            {
                Name = w.Name, ConnectionId = Connection(w.Connection, $"watermarks.{w.Name}"), ResolverSql = w.ResolverSql, DefaultValue = w.Default,
            }).ToList(),
            Hooks = spec.Hooks.Select(h =>
            {
                if (!Enum.TryParse<HookRunOn>(h.RunOn, ignoreCase: true, out var runOn))
                    errors.Add("hooks", $"run_on '{h.RunOn}' must be success, failure or always");
                return new Hook { RunOrder = h.Order, ConnectionId = Connection(h.Connection, "hooks"), Sql = h.Sql, RunOn = runOn };
            }).ToList(),
        };
        errors.ThrowIfAny();
        return module;
    }

    private static bool SameDefinition(Module a, Module b) => Definition(a) == Definition(b);

    private static string Definition(Module m) => JsonSerializer.Serialize(new
    {
        m.Name, m.Project, m.SourceConnectionId, m.DestConnectionId, m.DestTable, m.SourceQuery, m.MergeStrategy, m.MergeKey, m.Enabled, m.Notes,
        m.Columns, m.DeleteDetection, m.KeysQuery, m.AllowEmptySource, m.SchemaChange, m.Verify,
        Watermarks = m.Watermarks.Select(w => new { w.Name, w.ConnectionId, w.ResolverSql, w.DefaultValue }),
        Hooks = m.Hooks.Select(h => new { h.RunOrder, h.ConnectionId, h.Sql, h.RunOn }),
    });
}
