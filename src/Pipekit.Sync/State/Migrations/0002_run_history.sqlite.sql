-- Run history outlives what it ran (seed 004 calls the run log an immutable history record), and run ids are never
-- reused. run_log had `id INTEGER PRIMARY KEY`, which hands out max(id) + 1 again once the newest rows are gone, and
-- `module_id ... ON DELETE CASCADE`, which deleted a module's runs with it. SQLite cannot change a column's key or
-- foreign key in place, so the table is rebuilt: AUTOINCREMENT (ids only grow, whatever is deleted), module_id
-- nullable and set NULL when the module goes, and module_name, the name of the module at run start, so a run of a
-- deleted module still says what it ran. Existing rows keep their ids; module_name is filled from their module.
-- module_name is the last column, where PostgreSQL's ALTER TABLE ADD COLUMN puts it, so both stores list the same
-- columns in the same order.
CREATE TABLE run_log_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    module_id             INTEGER REFERENCES module (id) ON DELETE SET NULL,
    group_run_id          INTEGER REFERENCES group_run (id) ON DELETE SET NULL,
    started_at            TEXT NOT NULL,
    finished_at           TEXT,
    duration_ms           INTEGER,
    row_count             INTEGER,
    status                TEXT NOT NULL CHECK (status IN ('queued', 'running', 'success', 'error', 'cancelled', 'dry_run')),
    error                 TEXT,
    triggered_by          TEXT NOT NULL DEFAULT 'manual',
    resolved_source_sql   TEXT,
    merge_sql             TEXT,
    watermark_values_json TEXT,
    transfer_log          TEXT,
    error_detail          TEXT,
    hook_log              TEXT,
    hook_failed           INTEGER NOT NULL DEFAULT 0,
    live_log              TEXT NOT NULL DEFAULT '',
    owner                 TEXT,
    module_name           TEXT NOT NULL
);

INSERT INTO run_log_new (id, module_id, group_run_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by,
                         resolved_source_sql, merge_sql, watermark_values_json, transfer_log, error_detail, hook_log, hook_failed,
                         live_log, owner, module_name)
SELECT r.id, r.module_id, r.group_run_id, r.started_at, r.finished_at, r.duration_ms, r.row_count, r.status, r.error, r.triggered_by,
       r.resolved_source_sql, r.merge_sql, r.watermark_values_json, r.transfer_log, r.error_detail, r.hook_log, r.hook_failed,
       r.live_log, r.owner, coalesce(m.name, 'module ' || r.module_id)
FROM run_log r LEFT JOIN module m ON m.id = r.module_id;

DROP TABLE run_log;
ALTER TABLE run_log_new RENAME TO run_log;

CREATE INDEX run_log_module ON run_log (module_id, id);
CREATE INDEX run_log_status ON run_log (status, id);
CREATE INDEX run_log_started ON run_log (started_at);
CREATE INDEX run_log_group_run ON run_log (group_run_id);

-- A schedule names its target by (kind, id), which no FOREIGN KEY can check. A schedule saved while its group was
-- being deleted would point at nothing and fire into an error forever: the row is refused instead (the group's delete
-- already takes its schedules with it, 0001).
CREATE TRIGGER schedule_group_exists_insert BEFORE INSERT ON schedule
WHEN NEW.target_kind = 'group' AND NOT EXISTS (SELECT 1 FROM grp WHERE id = NEW.target_id)
BEGIN SELECT RAISE(ABORT, 'the group a schedule names does not exist'); END;
CREATE TRIGGER schedule_group_exists_update BEFORE UPDATE OF target_kind, target_id ON schedule
WHEN NEW.target_kind = 'group' AND NOT EXISTS (SELECT 1 FROM grp WHERE id = NEW.target_id)
BEGIN SELECT RAISE(ABORT, 'the group a schedule names does not exist'); END;
