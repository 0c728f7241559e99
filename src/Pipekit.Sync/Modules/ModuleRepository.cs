using Pipekit.Core.Retries;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Modules;

/// <summary>
/// The module aggregate: a <c>module</c> row with its <c>watermark</c> and <c>hook</c> rows, always saved
/// together in one transaction. Lock columns are changed only through <see cref="ModuleLocks"/>.
/// </summary>
public sealed class ModuleRepository
{
    private const string ModuleColumns = """
        id, name, project, source_connection_id, dest_connection_id, dest_table, source_query, merge_strategy, merge_key,
        columns_json, enabled, notes, next_resolved_query, next_merge_sql, running, lock_owner, locked_at, created_at, updated_at,
        delete_detection, keys_query, allow_empty_source, schema_change, verify, hooks_may_fail, full_load, retries, retry_delay_ms, retry_backoff
        """;

    private readonly StateStore _store;
    private readonly TimeProvider _time;
    private readonly ModulePageCache _pages = new();

    public ModuleRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<IReadOnlyList<Module>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<ModuleRow>(new CommandDefinition($"SELECT {ModuleColumns} FROM module ORDER BY name", cancellationToken: cancellationToken));
        var watermarks = (await c.QueryAsync<WatermarkRow>(new CommandDefinition("SELECT * FROM watermark ORDER BY module_id, id", cancellationToken: cancellationToken)))
            .ToLookup(w => w.module_id);
        var hooks = (await c.QueryAsync<HookRow>(new CommandDefinition("SELECT * FROM hook ORDER BY module_id, run_order, id", cancellationToken: cancellationToken)))
            .ToLookup(h => h.module_id);
        return rows.Select(r => r.ToModule(watermarks[r.id], hooks[r.id])).ToList();
    }

    /// <summary>
    /// A page of modules in id order, with their watermarks and hooks. While no module, watermark or hook has
    /// changed since the same page was last read, it comes from memory after one version check.
    /// </summary>
    public async Task<IReadOnlyList<Module>> ListAsync(ModuleFilter filter, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        // The version is read before the rows: a change in between leaves newer rows under an older version,
        // which the next read replaces, never older rows under a newer one.
        var version = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT version FROM change_version WHERE aggregate = 'module'", cancellationToken: cancellationToken));
        if (_pages.TryGet(version, filter, out var cached)) return cached;
        var page = await ReadPageAsync(c, filter, cancellationToken);
        _pages.Put(version, filter, page);
        return page;
    }

    private static async Task<IReadOnlyList<Module>> ReadPageAsync(DbConnection c, ModuleFilter filter, CancellationToken cancellationToken)
    {
        var rows = (await c.QueryAsync<ModuleRow>(new CommandDefinition(
            $"""
            SELECT {ModuleColumns} FROM module
            WHERE (@SourceConnectionId IS NULL OR source_connection_id = @SourceConnectionId)
              AND (@DestConnectionId IS NULL OR dest_connection_id = @DestConnectionId)
              AND (@Enabled IS NULL OR enabled = @Enabled)
              AND (@After IS NULL OR id > @After)
            ORDER BY id LIMIT @Limit
            """,
            new
            {
                filter.SourceConnectionId, filter.DestConnectionId, Enabled = filter.Enabled is { } e ? (e ? 1L : 0L) : (long?)null, filter.After,
                Limit = Math.Clamp(filter.Limit, 1, 10_000),
            }, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0) return [];
        // The page is in id order, so its watermarks and hooks lie in one id range: two index range scans, where
        // an IN list would bind a parameter per module. Rows of modules the filter left out are dropped here.
        var range = new { first = rows[0].id, last = rows[^1].id };
        var ids = rows.Select(r => r.id).ToHashSet();
        var watermarks = (await c.QueryAsync<WatermarkRow>(new CommandDefinition(
            "SELECT * FROM watermark WHERE module_id BETWEEN @first AND @last ORDER BY module_id, id", range, cancellationToken: cancellationToken)))
            .Where(w => ids.Contains(w.module_id)).ToLookup(w => w.module_id);
        var hooks = (await c.QueryAsync<HookRow>(new CommandDefinition(
            "SELECT * FROM hook WHERE module_id BETWEEN @first AND @last ORDER BY module_id, run_order, id", range, cancellationToken: cancellationToken)))
            .Where(h => ids.Contains(h.module_id)).ToLookup(h => h.module_id);
        return rows.Select(r => r.ToModule(watermarks[r.id], hooks[r.id])).ToList();
    }

    public async Task<Module?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await LoadAsync(c, "id = @key", new { key = id }, cancellationToken);
    }

    public async Task<Module?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await LoadAsync(c, "name = @key", new { key = name }, cancellationToken);
    }

    /// <summary>
    /// Inserts or replaces modules (matched by id, else by name) with their watermarks and hooks, all in one transaction
    /// (applying a module file). A connection deleted since the caller validated is a <see cref="ModuleReferenceGoneException"/>.
    /// </summary>
    public async Task<IReadOnlyList<Module>> SaveAllAsync(IReadOnlyList<Module> modules, CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var saved = new List<Module>();
            foreach (var module in modules)
                saved.Add(await SaveAsync(c, tx, module, matchByName: true, cancellationToken));
            return saved;
        }, cancellationToken);

    /// <summary>Inserts or replaces modules inside a transaction that other repositories write through too.</summary>
    public async Task<IReadOnlyList<Module>> SaveAllAsync(IReadOnlyList<Module> modules, StateTransaction transaction, CancellationToken cancellationToken)
    {
        var saved = new List<Module>();
        foreach (var module in modules)
            saved.Add(await SaveAsync(transaction.Connection, transaction.Transaction, module, matchByName: true, cancellationToken));
        return saved;
    }

    public async Task<Module> SaveAsync(Module module, CancellationToken cancellationToken) =>
        (await SaveAllAsync([module], cancellationToken))[0];

    /// <summary>
    /// Inserts a new module, never replacing one: a taken name is a <see cref="ModuleNameTakenException"/> whichever of two
    /// racing creates commits first. <paramref name="validate"/> runs inside the write transaction with the ids of the
    /// module's connections that exist then (kept from being deleted until commit), so a connection deleted meanwhile is a
    /// validation error, never a foreign-key failure.
    /// </summary>
    public async Task<Module> InsertAsync(Module module, Action<Module, IReadOnlySet<long>> validate, CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var draft = module with { Id = 0 };
            validate(draft, await ExistingConnectionsAsync(c, tx, draft, cancellationToken));
            return await SaveAsync(c, tx, draft, matchByName: false, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Reads module <paramref name="id"/>, applies <paramref name="change"/>, validates and writes the result in one
    /// transaction that holds the module's row: two concurrent changes of different fields both land, one after the
    /// other. Null when the module does not exist (or was deleted first).
    /// </summary>
    public async Task<Module?> UpdateAsync(long id, Func<Module, Module> change, Action<Module, IReadOnlySet<long>> validate,
        CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var current = await LoadAsync(c, "id = @key", new { key = id }, cancellationToken, tx, _store.LockForUpdate);
            if (current is null) return null;
            var module = change(current) with { Id = id };
            validate(module, await ExistingConnectionsAsync(c, tx, module, cancellationToken));
            return await SaveAsync(c, tx, module, matchByName: false, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Deletes a module that is not running, with its watermarks, hooks and memberships, in one transaction; its runs stay
    /// in the run log under its name. Null when it does not exist; a running module is a <see cref="ModuleRunningException"/>.
    /// </summary>
    public async Task<bool> DeleteIdleAsync(long id, CancellationToken cancellationToken) =>
        await _store.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<(string Name, long Running)>(new CommandDefinition(
                $"SELECT name, running FROM module WHERE id = @id{_store.LockForUpdate}", new { id }, tx, cancellationToken: cancellationToken));
            if (row.Name is null) return false;
            if (row.Running != 0) throw new ModuleRunningException(row.Name);
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM module WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    // The connections a module names that exist now; on PostgreSQL they are key-share locked until commit, so a concurrent
    // delete of one waits for this transaction (and then fails: the connection is in use) or ran first (and it is missing here).
    private async Task<IReadOnlySet<long>> ExistingConnectionsAsync(DbConnection c, DbTransaction tx, Module m, CancellationToken ct)
    {
        var named = new[] { m.SourceConnectionId, m.DestConnectionId }
            .Concat(m.Watermarks.Select(w => w.ConnectionId)).Concat(m.Hooks.Select(h => h.ConnectionId)).Distinct().ToArray();
        var found = await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM connection WHERE {_store.In("id", "@named")}{_store.LockKeys}", new { named }, tx, cancellationToken: ct));
        return found.ToHashSet();
    }

    /// <summary>True when a run holds the module's lock, read inside a shared transaction.</summary>
    public async Task<bool> IsRunningAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT running FROM module WHERE id = @id{_store.LockForUpdate}", new { id }, transaction.Transaction, cancellationToken: cancellationToken)) is > 0;

    /// <summary>Deletes a module inside a shared transaction; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM module WHERE id = @id", new { id }, transaction.Transaction, cancellationToken: cancellationToken)) > 0;

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM module WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The module a watermark belongs to, or null when there is no such watermark.</summary>
    public async Task<long?> ModuleOfWatermarkAsync(long watermarkId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT module_id FROM watermark WHERE id = @watermarkId", new { watermarkId }, cancellationToken: cancellationToken));
    }

    /// <summary>The module a hook belongs to, or null when there is no such hook.</summary>
    public async Task<long?> ModuleOfHookAsync(long hookId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT module_id FROM hook WHERE id = @hookId", new { hookId }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores what the next run will execute, so the UI can always show it (seed 002 "No hidden generation").</summary>
    public async Task MaterialiseAsync(long id, string resolvedQuery, string mergeSql, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE module SET next_resolved_query = @resolvedQuery, next_merge_sql = @mergeSql WHERE id = @id",
            new { id, resolvedQuery, mergeSql }, cancellationToken: cancellationToken));
    }

    private async Task<Module> SaveAsync(DbConnection c, DbTransaction tx, Module m, bool matchByName, CancellationToken ct)
    {
        try
        {
            return await WriteAsync(c, tx, m, matchByName, ct);
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw new ModuleReferenceGoneException(m.Name);
        }
    }

    private async Task<Module> WriteAsync(DbConnection c, DbTransaction tx, Module m, bool matchByName, CancellationToken ct)
    {
        var now = StateClock.Format(_time.GetUtcNow());
        var id = m.Id;
        if (id == 0 && matchByName)
            id = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM module WHERE name = @Name", new { m.Name }, tx, cancellationToken: ct)) ?? 0;
        var p = new
        {
            Id = id, m.Name, m.Project, m.SourceConnectionId, m.DestConnectionId, m.DestTable, m.SourceQuery,
            MergeStrategy = m.MergeStrategy.ToString().ToLowerInvariant(), m.MergeKey,
            ColumnsJson = JsonSerializer.Serialize(m.Columns.ToList(), ModuleColumnsJson.Default.ListModuleColumn), Enabled = m.Enabled ? 1 : 0, m.Notes, Now = now,
            DeleteDetection = m.DeleteDetection.ToText(), m.KeysQuery, AllowEmptySource = m.AllowEmptySource ? 1 : 0,
            SchemaChange = m.SchemaChange.ToText(), Verify = m.Verify.ToText(), HooksMayFail = m.HooksMayFail ? 1 : 0,
            FullLoad = m.FullLoad.ToText(),
            m.Retries, RetryDelayMs = (long)m.RetryDelay.TotalMilliseconds, RetryBackoff = m.RetryBackoff.ToText(),
        };
        try
        {
            if (id == 0)
            {
                id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO module (name, project, source_connection_id, dest_connection_id, dest_table, source_query, merge_strategy,
                                        merge_key, columns_json, enabled, notes, created_at, updated_at,
                                        delete_detection, keys_query, allow_empty_source, schema_change, verify, hooks_may_fail, full_load,
                                        retries, retry_delay_ms, retry_backoff)
                    VALUES (@Name, @Project, @SourceConnectionId, @DestConnectionId, @DestTable, @SourceQuery, @MergeStrategy,
                            @MergeKey, @ColumnsJson, @Enabled, @Notes, @Now, @Now,
                            @DeleteDetection, @KeysQuery, @AllowEmptySource, @SchemaChange, @Verify, @HooksMayFail, @FullLoad,
                            @Retries, @RetryDelayMs, @RetryBackoff)
                    RETURNING id
                    """, p, tx, cancellationToken: ct));
            }
            else
            {
                // A changed definition makes the previously materialised SQL stale.
                var updated = await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE module SET name = @Name, project = @Project, source_connection_id = @SourceConnectionId,
                        dest_connection_id = @DestConnectionId, dest_table = @DestTable, source_query = @SourceQuery,
                        merge_strategy = @MergeStrategy, merge_key = @MergeKey, columns_json = @ColumnsJson, enabled = @Enabled,
                        notes = @Notes, next_resolved_query = NULL, next_merge_sql = NULL, updated_at = @Now,
                        delete_detection = @DeleteDetection, keys_query = @KeysQuery, allow_empty_source = @AllowEmptySource,
                        schema_change = @SchemaChange, verify = @Verify, hooks_may_fail = @HooksMayFail, full_load = @FullLoad,
                        retries = @Retries, retry_delay_ms = @RetryDelayMs, retry_backoff = @RetryBackoff
                    WHERE id = @Id
                    """, p, tx, cancellationToken: ct));
                if (updated == 0) throw new ModuleNotFoundException($"with id {id} (it was deleted)");
                // Watermarks and hooks keep their ids across a save (the API addresses them by id): the ones still
                // listed are updated in place below, the others are deleted here.
                await c.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM watermark WHERE module_id = @id AND NOT ({_store.In("id", "@kept")})",
                    new { id, kept = m.Watermarks.Where(w => w.Id != 0).Select(w => w.Id).ToArray() }, tx, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM hook WHERE module_id = @id AND NOT ({_store.In("id", "@kept")})",
                    new { id, kept = m.Hooks.Where(h => h.Id != 0).Select(h => h.Id).ToArray() }, tx, cancellationToken: ct));
            }
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "module"))
        {
            throw new ModuleNameTakenException(m.Name);
        }
        // No two parameters may differ only in case (id and Id): PostgreSQL's provider matches names case-insensitively.
        foreach (var w in m.Watermarks)
        {
            var args = new { ModuleId = id, w.Id, w.Name, w.ConnectionId, w.ResolverSql, w.DefaultValue };
            if (w.Id != 0 && await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE watermark SET name = @Name, connection_id = @ConnectionId, resolver_sql = @ResolverSql, default_value = @DefaultValue WHERE id = @Id AND module_id = @ModuleId",
                    args, tx, cancellationToken: ct)) == 1)
                continue;
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO watermark (module_id, name, connection_id, resolver_sql, default_value) VALUES (@ModuleId, @Name, @ConnectionId, @ResolverSql, @DefaultValue)",
                args, tx, cancellationToken: ct));
        }
        foreach (var h in m.Hooks)
        {
            var args = new { ModuleId = id, h.Id, h.RunOrder, h.ConnectionId, h.Sql, RunOn = h.RunOn.ToString().ToLowerInvariant() };
            if (h.Id != 0 && await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE hook SET run_order = @RunOrder, connection_id = @ConnectionId, sql = @Sql, run_on = @RunOn WHERE id = @Id AND module_id = @ModuleId",
                    args, tx, cancellationToken: ct)) == 1)
                continue;
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hook (module_id, run_order, connection_id, sql, run_on) VALUES (@ModuleId, @RunOrder, @ConnectionId, @Sql, @RunOn)",
                args, tx, cancellationToken: ct));
        }
        return (await LoadAsync(c, "id = @key", new { key = id }, ct, tx))!;
    }

    private static async Task<Module?> LoadAsync(DbConnection c, string where, object args, CancellationToken ct, DbTransaction? tx = null, string locking = "")
    {
        var row = await c.QuerySingleOrDefaultAsync<ModuleRow>(new CommandDefinition($"SELECT {ModuleColumns} FROM module WHERE {where}{locking}", args, tx, cancellationToken: ct));
        if (row is null) return null;
        var watermarks = await c.QueryAsync<WatermarkRow>(new CommandDefinition("SELECT * FROM watermark WHERE module_id = @id ORDER BY id", new { row.id }, tx, cancellationToken: ct));
        var hooks = await c.QueryAsync<HookRow>(new CommandDefinition("SELECT * FROM hook WHERE module_id = @id ORDER BY run_order, id", new { row.id }, tx, cancellationToken: ct));
        return row.ToModule(watermarks, hooks);
    }

    // Rows mirror the columns one to one; names are the column names so Dapper maps them without aliases.
#pragma warning disable IDE1006
    private sealed record ModuleRow(long id, string name, string? project, long source_connection_id, long dest_connection_id, string dest_table,
        string source_query, string merge_strategy, string? merge_key, string columns_json, long enabled, string? notes,
        string? next_resolved_query, string? next_merge_sql, long running, string? lock_owner, string? locked_at, string created_at, string updated_at,
        string delete_detection, string? keys_query, long allow_empty_source, string schema_change, string verify, long hooks_may_fail, string full_load,
        long retries, long retry_delay_ms, string retry_backoff)
    {
        public Module ToModule(IEnumerable<WatermarkRow> watermarks, IEnumerable<HookRow> hooks) => new()
        {
            Id = id, Name = name, Project = project, SourceConnectionId = source_connection_id, DestConnectionId = dest_connection_id,
            DestTable = dest_table, SourceQuery = source_query, MergeStrategy = Enum.Parse<MergeStrategy>(merge_strategy, ignoreCase: true),
            MergeKey = merge_key, Columns = JsonSerializer.Deserialize(columns_json, ModuleColumnsJson.Default.ListModuleColumn) ?? [], Enabled = enabled != 0,
            Notes = notes, NextResolvedQuery = next_resolved_query, NextMergeSql = next_merge_sql, Running = running != 0,
            LockOwner = lock_owner, LockedAt = locked_at is null ? null : StateClock.Parse(locked_at),
            CreatedAt = StateClock.Parse(created_at), UpdatedAt = StateClock.Parse(updated_at),
            DeleteDetection = ModuleOptionText.TryParse(delete_detection, out DeleteDetection d) ? d : DeleteDetection.None, KeysQuery = keys_query,
            AllowEmptySource = allow_empty_source != 0,
            SchemaChange = ModuleOptionText.TryParse(schema_change, out SchemaChangeRule sc) ? sc : SchemaChangeRule.Fail,
            Verify = ModuleOptionText.TryParse(verify, out VerifyMode v) ? v : VerifyMode.None,
            HooksMayFail = hooks_may_fail != 0,
            FullLoad = ModuleOptionText.TryParse(full_load, out FullLoad f) ? f : FullLoad.Staging,
            Retries = (int)retries, RetryDelay = TimeSpan.FromMilliseconds(retry_delay_ms),
            RetryBackoff = ModuleOptionText.TryParse(retry_backoff, out RetryBackoff b) ? b : RetryBackoff.Fixed,
            Watermarks = watermarks.Select(w => w.ToWatermark()).ToList(),
            Hooks = hooks.Select(h => h.ToHook()).ToList(),
        };
    }

    private sealed record WatermarkRow(long id, long module_id, string name, long connection_id, string resolver_sql, string? default_value)
    {
        public Watermark ToWatermark() => new()
        {
            Id = id, ModuleId = module_id, Name = name, ConnectionId = connection_id, ResolverSql = resolver_sql, DefaultValue = default_value,
        };
    }

    private sealed record HookRow(long id, long module_id, long run_order, long connection_id, string sql, string run_on)
    {
        public Hook ToHook() => new()
        {
            Id = id, ModuleId = module_id, RunOrder = (int)run_order, ConnectionId = connection_id, Sql = sql,
            RunOn = Enum.Parse<HookRunOn>(run_on, ignoreCase: true),
        };
    }
#pragma warning restore IDE1006
}
