-- Sync (seed 002 "Module model" through "Groups and scheduling").

-- A module: one source query into one destination table. `running` is the lock (atomic
-- UPDATE ... WHERE running = 0), with its owner (host:pid:process-start) and time for stale-lock clearing.
CREATE TABLE module (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    project              TEXT,
    source_connection_id INTEGER NOT NULL REFERENCES connection (id),
    dest_connection_id   INTEGER NOT NULL REFERENCES connection (id),
    dest_table           TEXT NOT NULL,
    source_query         TEXT NOT NULL,
    merge_strategy       TEXT NOT NULL CHECK (merge_strategy IN ('full', 'incremental', 'append')),
    merge_key            TEXT,
    columns_json         TEXT NOT NULL DEFAULT '[]',
    enabled              INTEGER NOT NULL DEFAULT 1,
    notes                TEXT,
    next_resolved_query  TEXT,
    next_merge_sql       TEXT,
    running              INTEGER NOT NULL DEFAULT 0,
    lock_owner           TEXT,
    locked_at            TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- Named placeholders of a module's source query, each resolved live by its own SQL.
CREATE TABLE watermark (
    id            INTEGER PRIMARY KEY,
    module_id     INTEGER NOT NULL REFERENCES module (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    connection_id INTEGER NOT NULL REFERENCES connection (id),
    resolver_sql  TEXT NOT NULL,
    default_value TEXT,
    UNIQUE (module_id, name)
);

-- Post-merge SQL, run in run_order, on success, failure or always.
CREATE TABLE hook (
    id            INTEGER PRIMARY KEY,
    module_id     INTEGER NOT NULL REFERENCES module (id) ON DELETE CASCADE,
    run_order     INTEGER NOT NULL DEFAULT 0,
    connection_id INTEGER NOT NULL REFERENCES connection (id),
    sql           TEXT NOT NULL,
    run_on        TEXT NOT NULL DEFAULT 'success' CHECK (run_on IN ('success', 'failure', 'always'))
);

CREATE TABLE grp (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    stop_on_failure INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Many-to-many: a module may sit in several groups with different run orders.
CREATE TABLE group_member (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES grp (id) ON DELETE CASCADE,
    module_id INTEGER NOT NULL REFERENCES module (id) ON DELETE CASCADE,
    run_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX group_member_group ON group_member (group_id, run_order);

CREATE TABLE group_run (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES grp (id) ON DELETE CASCADE,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL,
    triggered_by TEXT
);
CREATE INDEX group_run_group ON group_run (group_id, id);

-- Immutable history of module runs. Every stored text passes through the redactor first.
CREATE TABLE run_log (
    id                    INTEGER PRIMARY KEY,
    module_id             INTEGER NOT NULL REFERENCES module (id) ON DELETE CASCADE,
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
    owner                 TEXT
);
CREATE INDEX run_log_module ON run_log (module_id, id);
CREATE INDEX run_log_status ON run_log (status, id);
CREATE INDEX run_log_started ON run_log (started_at);
CREATE INDEX run_log_group_run ON run_log (group_run_id);
