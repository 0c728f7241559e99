-- Pipelines: Pit-compatible DAGs (seed 000). Ids are never reused (identity columns), and run history outlives what it ran.

-- One row per DAG name ever seen in the workspace, so schedules and runs can name it by id.
CREATE TABLE pipeline (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    project_dir TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One run of a DAG. `attempt` counts resumes: a resume re-runs what did not succeed, in the same snapshot, as the
-- next attempt of the same run. `owner` (host:pid) lets a later process close runs whose process died.
CREATE TABLE pipeline_run (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline_id   BIGINT NOT NULL REFERENCES pipeline (id),
    dag_name      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'success', 'failed', 'cancelled', 'skipped')),
    status_detail TEXT,
    triggered_by  TEXT NOT NULL,
    only_task     TEXT,
    attempt       INTEGER NOT NULL DEFAULT 1,
    run_dir       TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    owner         TEXT
);
CREATE INDEX pipeline_run_pipeline ON pipeline_run (pipeline_id, id);
CREATE INDEX pipeline_run_status ON pipeline_run (status, id);

-- One task of one attempt of a run: attempts counts its retries within that run attempt.
CREATE TABLE task_run (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        BIGINT NOT NULL REFERENCES pipeline_run (id),
    run_attempt   INTEGER NOT NULL,
    task          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'success', 'failed', 'skipped', 'upstream_failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    exit_code     INTEGER,
    started_at    TEXT,
    finished_at   TEXT,
    log_path      TEXT,
    status_detail TEXT,
    UNIQUE (run_id, run_attempt, task)
);

-- Secret reads over the SDK socket: who read which key when, found or not. Never the value.
CREATE TABLE secret_access (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      BIGINT NOT NULL REFERENCES pipeline_run (id),
    task        TEXT NOT NULL,
    method      TEXT NOT NULL,
    secret_key  TEXT NOT NULL,
    field       TEXT,
    found       INTEGER NOT NULL,
    accessed_at TEXT NOT NULL
);
CREATE INDEX secret_access_run ON secret_access (run_id, id);
