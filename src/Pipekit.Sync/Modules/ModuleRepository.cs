using Pipekit.Core.Retries;
using System.Data.Common;
using System.Text.Json;
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
    // Each column list is read by ordinal (ReadModule, ReadWatermark, ReadHook): keep them in the same order.
    private const string ModuleColumns = """
        id, name, project, source_connection_id, dest_connection_id, dest_table, source_query, merge_strategy, merge_key,
        columns_json, enabled, notes, next_resolved_query, next_merge_sql, running, lock_owner, locked_at, created_at, updated_at,
        delete_detection, keys_query, allow_empty_source, schema_change, verify, hooks_may_fail, full_load, retries, retry_delay_ms, retry_backoff
        """;

    private const string WatermarkColumns = "id, module_id, name, connection_id, resolver_sql, default_value";

    private const string HookColumns = "id, module_id, run_order, connection_id, sql, run_on";

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
        var rows = await c.RowsAsync($"SELECT {ModuleColumns} FROM module ORDER BY name", null, ReadModule, null, cancellationToken);
        var watermarks = (await c.RowsAsync($"SELECT {WatermarkColumns} FROM watermark ORDER BY module_id, id", null, ReadWatermark, null, cancellationToken))
            .ToLookup(w => w.ModuleId);
        var hooks = (await c.RowsAsync($"SELECT {HookColumns} FROM hook ORDER BY module_id, run_order, id", null, ReadHook, null, cancellationToken))
            .ToLookup(h => h.ModuleId);
        return rows.Select(m => m with { Watermarks = watermarks[m.Id].ToList(), Hooks = hooks[m.Id].ToList() }).ToList();
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
        var version = await c.Int64Async("SELECT version FROM change_version WHERE aggregate = 'module'", null, null, cancellationToken) ?? 0;
        if (_pages.TryGet(version, filter, out var cached)) return cached;
        var page = await ReadPageAsync(c, filter, cancellationToken);
        _pages.Put(version, filter, page);
        return page;
    }

    private static async Task<IReadOnlyList<Module>> ReadPageAsync(DbConnection c, ModuleFilter filter, CancellationToken cancellationToken)
    {
        var rows = await c.RowsAsync(
            $"""
            SELECT {ModuleColumns} FROM module
            WHERE (@SourceConnectionId IS NULL OR source_connection_id = @SourceConnectionId)
              AND (@DestConnectionId IS NULL OR dest_connection_id = @DestConnectionId)
              AND (@Enabled IS NULL OR enabled = @Enabled)
              AND (@After IS NULL OR id > @After)
            ORDER BY id LIMIT @Limit
            """,
            new StateArgs
            {
                { "SourceConnectionId", filter.SourceConnectionId }, { "DestConnectionId", filter.DestConnectionId },
                { "Enabled", filter.Enabled is { } e ? (e ? 1L : 0L) : null }, { "After", filter.After }, { "Limit", Math.Clamp(filter.Limit, 1, 10_000) },
            }, ReadModule, null, cancellationToken);
        if (rows.Count == 0) return [];
        // The page is in id order, so its watermarks and hooks lie in one id range: two index range scans, where
        // an IN list would bind a parameter per module. Rows of modules the filter left out are dropped here.
        var range = new StateArgs { { "first", rows[0].Id }, { "last", rows[^1].Id } };
        var ids = rows.Select(r => r.Id).ToHashSet();
        var watermarks = (await c.RowsAsync($"SELECT {WatermarkColumns} FROM watermark WHERE module_id BETWEEN @first AND @last ORDER BY module_id, id",
                range, ReadWatermark, null, cancellationToken))
            .Where(w => ids.Contains(w.ModuleId)).ToLookup(w => w.ModuleId);
        var hooks = (await c.RowsAsync($"SELECT {HookColumns} FROM hook WHERE module_id BETWEEN @first AND @last ORDER BY module_id, run_order, id",
                range, ReadHook, null, cancellationToken))
            .Where(h => ids.Contains(h.ModuleId)).ToLookup(h => h.ModuleId);
        return rows.Select(m => m with { Watermarks = watermarks[m.Id].ToList(), Hooks = hooks[m.Id].ToList() }).ToList();
    }

    public async Task<Module?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await LoadAsync(c, "id = @key", new StateArgs { { "key", id } }, cancellationToken);
    }

    public async Task<Module?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await LoadAsync(c, "name = @key", new StateArgs { { "key", name } }, cancellationToken);
    }

    /// <summary>The connections and project of the module called <paramref name="name"/>, in one short read; null when there is none.</summary>
    public async Task<ModuleEndpoints?> FindEndpointsAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowAsync("SELECT source_connection_id, dest_connection_id, project FROM module WHERE name = @key", new StateArgs { { "key", name } },
            r => new ModuleEndpoints(r.GetInt64(0), r.GetInt64(1), r.TextOrNull(2)), null, cancellationToken);
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
            var current = await LoadAsync(c, "id = @key", new StateArgs { { "key", id } }, cancellationToken, tx, _store.LockForUpdate);
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
            var row = await c.RowAsync($"SELECT name, running FROM module WHERE id = @id{_store.LockForUpdate}", new StateArgs { { "id", id } },
                r => new NameAndRunning(r.GetString(0), r.GetInt64(1) != 0), tx, cancellationToken);
            if (row is null) return false;
            if (row.Running) throw new ModuleRunningException(row.Name);
            await c.ExecAsync("DELETE FROM module WHERE id = @id", new StateArgs { { "id", id } }, tx, cancellationToken);
            return true;
        }, cancellationToken);

    // The connections a module names that exist now; on PostgreSQL they are key-share locked until commit, so a concurrent
    // delete of one waits for this transaction (and then fails: the connection is in use) or ran first (and it is missing here).
    private async Task<IReadOnlySet<long>> ExistingConnectionsAsync(DbConnection c, DbTransaction tx, Module m, CancellationToken ct)
    {
        var named = new[] { m.SourceConnectionId, m.DestConnectionId }
            .Concat(m.Watermarks.Select(w => w.ConnectionId)).Concat(m.Hooks.Select(h => h.ConnectionId)).Distinct().ToArray();
        var found = await c.RowsAsync($"SELECT id FROM connection WHERE id IN ({IdList(named)}){_store.LockKeys}", null, r => r.GetInt64(0), tx, ct);
        return found.ToHashSet();
    }

    /// <summary>True when a run holds the module's lock, read inside a shared transaction.</summary>
    public async Task<bool> IsRunningAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.Int64Async($"SELECT running FROM module WHERE id = @id{_store.LockForUpdate}", new StateArgs { { "id", id } },
            transaction.Transaction, cancellationToken) is > 0;

    /// <summary>Deletes a module inside a shared transaction; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecAsync("DELETE FROM module WHERE id = @id", new StateArgs { { "id", id } }, transaction.Transaction, cancellationToken) > 0;

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecAsync("DELETE FROM module WHERE id = @id", new StateArgs { { "id", id } }, null, cancellationToken) > 0;
    }

    /// <summary>The module a watermark belongs to, or null when there is no such watermark.</summary>
    public async Task<long?> ModuleOfWatermarkAsync(long watermarkId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.Int64Async("SELECT module_id FROM watermark WHERE id = @watermarkId", new StateArgs { { "watermarkId", watermarkId } }, null, cancellationToken);
    }

    /// <summary>The module a hook belongs to, or null when there is no such hook.</summary>
    public async Task<long?> ModuleOfHookAsync(long hookId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.Int64Async("SELECT module_id FROM hook WHERE id = @hookId", new StateArgs { { "hookId", hookId } }, null, cancellationToken);
    }

    /// <summary>Stores what the next run will execute, so the UI can always show it (seed 002 "No hidden generation").</summary>
    public async Task MaterialiseAsync(long id, string resolvedQuery, string mergeSql, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecAsync("UPDATE module SET next_resolved_query = @resolvedQuery, next_merge_sql = @mergeSql WHERE id = @id",
            new StateArgs { { "id", id }, { "resolvedQuery", resolvedQuery }, { "mergeSql", mergeSql } }, null, cancellationToken);
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
            id = await c.Int64Async("SELECT id FROM module WHERE name = @Name", new StateArgs { { "Name", m.Name } }, tx, ct) ?? 0;
        // Id only for the UPDATE (the INSERT does not name it); every other name appears in both statements.
        var p = new StateArgs
        {
            { "Id", id }, { "Name", m.Name }, { "Project", m.Project }, { "SourceConnectionId", m.SourceConnectionId },
            { "DestConnectionId", m.DestConnectionId }, { "DestTable", m.DestTable }, { "SourceQuery", m.SourceQuery },
            { "MergeStrategy", m.MergeStrategy.ToString().ToLowerInvariant() }, { "MergeKey", m.MergeKey },
            { "ColumnsJson", JsonSerializer.Serialize(m.Columns.ToList(), ModuleColumnsJson.Default.ListModuleColumn) }, { "Enabled", m.Enabled ? 1 : 0 },
            { "Notes", m.Notes }, { "Now", now }, { "DeleteDetection", m.DeleteDetection.ToText() }, { "KeysQuery", m.KeysQuery },
            { "AllowEmptySource", m.AllowEmptySource ? 1 : 0 }, { "SchemaChange", m.SchemaChange.ToText() }, { "Verify", m.Verify.ToText() },
            { "HooksMayFail", m.HooksMayFail ? 1 : 0 }, { "FullLoad", m.FullLoad.ToText() }, { "Retries", m.Retries },
            { "RetryDelayMs", (long)m.RetryDelay.TotalMilliseconds }, { "RetryBackoff", m.RetryBackoff.ToText() },
        };
        try
        {
            if (id == 0)
            {
                id = await c.Int64Async(
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
                    """, p, tx, ct) ?? throw new InvalidOperationException("INSERT … RETURNING id returned no row");
            }
            else
            {
                // A changed definition makes the previously materialised SQL stale.
                var updated = await c.ExecAsync(
                    """
                    UPDATE module SET name = @Name, project = @Project, source_connection_id = @SourceConnectionId,
                        dest_connection_id = @DestConnectionId, dest_table = @DestTable, source_query = @SourceQuery,
                        merge_strategy = @MergeStrategy, merge_key = @MergeKey, columns_json = @ColumnsJson, enabled = @Enabled,
                        notes = @Notes, next_resolved_query = NULL, next_merge_sql = NULL, updated_at = @Now,
                        delete_detection = @DeleteDetection, keys_query = @KeysQuery, allow_empty_source = @AllowEmptySource,
                        schema_change = @SchemaChange, verify = @Verify, hooks_may_fail = @HooksMayFail, full_load = @FullLoad,
                        retries = @Retries, retry_delay_ms = @RetryDelayMs, retry_backoff = @RetryBackoff
                    WHERE id = @Id
                    """, p, tx, ct);
                if (updated == 0) throw new ModuleNotFoundException($"with id {id} (it was deleted)");
                // Watermarks and hooks keep their ids across a save (the API addresses them by id): the ones still
                // listed are updated in place below, the others are deleted here.
                await c.ExecAsync($"DELETE FROM watermark WHERE module_id = @id{NotIn(m.Watermarks.Where(w => w.Id != 0).Select(w => w.Id))}",
                    new StateArgs { { "id", id } }, tx, ct);
                await c.ExecAsync($"DELETE FROM hook WHERE module_id = @id{NotIn(m.Hooks.Where(h => h.Id != 0).Select(h => h.Id))}",
                    new StateArgs { { "id", id } }, tx, ct);
            }
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "module"))
        {
            throw new ModuleNameTakenException(m.Name);
        }
        // No two parameters may differ only in case (id and Id): PostgreSQL's provider matches names case-insensitively.
        foreach (var w in m.Watermarks)
        {
            var args = new StateArgs
            {
                { "ModuleId", id }, { "Id", w.Id }, { "Name", w.Name }, { "ConnectionId", w.ConnectionId }, { "ResolverSql", w.ResolverSql },
                { "DefaultValue", w.DefaultValue },
            };
            if (w.Id != 0 && await c.ExecAsync(
                    "UPDATE watermark SET name = @Name, connection_id = @ConnectionId, resolver_sql = @ResolverSql, default_value = @DefaultValue WHERE id = @Id AND module_id = @ModuleId",
                    args, tx, ct) == 1)
                continue;
            await c.ExecAsync(
                "INSERT INTO watermark (module_id, name, connection_id, resolver_sql, default_value) VALUES (@ModuleId, @Name, @ConnectionId, @ResolverSql, @DefaultValue)",
                args, tx, ct);
        }
        foreach (var h in m.Hooks)
        {
            var args = new StateArgs
            {
                { "ModuleId", id }, { "Id", h.Id }, { "RunOrder", h.RunOrder }, { "ConnectionId", h.ConnectionId }, { "Sql", h.Sql },
                { "RunOn", h.RunOn.ToString().ToLowerInvariant() },
            };
            if (h.Id != 0 && await c.ExecAsync(
                    "UPDATE hook SET run_order = @RunOrder, connection_id = @ConnectionId, sql = @Sql, run_on = @RunOn WHERE id = @Id AND module_id = @ModuleId",
                    args, tx, ct) == 1)
                continue;
            await c.ExecAsync(
                "INSERT INTO hook (module_id, run_order, connection_id, sql, run_on) VALUES (@ModuleId, @RunOrder, @ConnectionId, @Sql, @RunOn)",
                args, tx, ct);
        }
        return (await LoadAsync(c, "id = @key", new StateArgs { { "key", id } }, ct, tx))!;
    }

    private static async Task<Module?> LoadAsync(DbConnection c, string where, StateArgs args, CancellationToken ct, DbTransaction? tx = null, string locking = "")
    {
        var module = await c.RowAsync($"SELECT {ModuleColumns} FROM module WHERE {where}{locking}", args, ReadModule, tx, ct);
        if (module is null) return null;
        var id = new StateArgs { { "id", module.Id } };
        var watermarks = await c.RowsAsync($"SELECT {WatermarkColumns} FROM watermark WHERE module_id = @id ORDER BY id", id, ReadWatermark, tx, ct);
        var hooks = await c.RowsAsync($"SELECT {HookColumns} FROM hook WHERE module_id = @id ORDER BY run_order, id", id, ReadHook, tx, ct);
        return module with { Watermarks = watermarks, Hooks = hooks };
    }

    // " AND id NOT IN (…)" for the ids a save keeps, nothing when it keeps none. The ids are numbers, written as literals:
    // one statement text for both stores (SQLite binds a list as one parameter per item, PostgreSQL as an array).
    private static string NotIn(IEnumerable<long> kept)
    {
        var ids = kept.ToList();
        return ids.Count == 0 ? "" : $" AND id NOT IN ({IdList(ids)})";
    }

    private static string IdList(IEnumerable<long> ids) => string.Join(", ", ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    // The columns of ModuleColumns, in its order; watermarks and hooks are read separately.
    private static Module ReadModule(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Name = r.GetString(1), Project = r.TextOrNull(2), SourceConnectionId = r.GetInt64(3), DestConnectionId = r.GetInt64(4),
        DestTable = r.GetString(5), SourceQuery = r.GetString(6), MergeStrategy = Enum.Parse<MergeStrategy>(r.GetString(7), ignoreCase: true),
        MergeKey = r.TextOrNull(8), Columns = JsonSerializer.Deserialize(r.GetString(9), ModuleColumnsJson.Default.ListModuleColumn) ?? [],
        Enabled = r.GetInt64(10) != 0, Notes = r.TextOrNull(11), NextResolvedQuery = r.TextOrNull(12), NextMergeSql = r.TextOrNull(13),
        Running = r.GetInt64(14) != 0, LockOwner = r.TextOrNull(15), LockedAt = r.TextOrNull(16) is { } lockedAt ? StateClock.Parse(lockedAt) : null,
        CreatedAt = StateClock.Parse(r.GetString(17)), UpdatedAt = StateClock.Parse(r.GetString(18)),
        DeleteDetection = ModuleOptionText.TryParse(r.GetString(19), out DeleteDetection d) ? d : DeleteDetection.None, KeysQuery = r.TextOrNull(20),
        AllowEmptySource = r.GetInt64(21) != 0,
        SchemaChange = ModuleOptionText.TryParse(r.GetString(22), out SchemaChangeRule sc) ? sc : SchemaChangeRule.Fail,
        Verify = ModuleOptionText.TryParse(r.GetString(23), out VerifyMode v) ? v : VerifyMode.None,
        HooksMayFail = r.GetInt64(24) != 0,
        FullLoad = ModuleOptionText.TryParse(r.GetString(25), out FullLoad f) ? f : FullLoad.Staging,
        Retries = (int)r.GetInt64(26), RetryDelay = TimeSpan.FromMilliseconds(r.GetInt64(27)),
        RetryBackoff = ModuleOptionText.TryParse(r.GetString(28), out RetryBackoff b) ? b : RetryBackoff.Fixed,
    };

    private static Watermark ReadWatermark(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), ModuleId = r.GetInt64(1), Name = r.GetString(2), ConnectionId = r.GetInt64(3), ResolverSql = r.GetString(4),
        DefaultValue = r.TextOrNull(5),
    };

    private static Hook ReadHook(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), ModuleId = r.GetInt64(1), RunOrder = (int)r.GetInt64(2), ConnectionId = r.GetInt64(3), Sql = r.GetString(4),
        RunOn = Enum.Parse<HookRunOn>(r.GetString(5), ignoreCase: true),
    };

    private sealed record NameAndRunning(string Name, bool Running);
}
