-- PostgreSQL spelling of 0001_chains.sql: identity ids and 64-bit integers; everything else is the same.
-- Chains (seed 001): the layer cache and jobs.
-- layer: one cached state of a chain. state_hash is S(i) (docs/chains.md); parent_hash is S(i-1), or S0 (base_hash)
-- for the first step, so the rows form the tree of states that branches share. step_path and content_hash say which
-- SQL built it, so a later miss can say what changed; fingerprint is the engine description S0 was made from.
CREATE TABLE layer (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    engine       TEXT NOT NULL,
    state_hash   TEXT NOT NULL,
    parent_hash  TEXT NOT NULL,
    base_hash    TEXT NOT NULL,
    store_name   TEXT NOT NULL,
    step_index   BIGINT NOT NULL,
    step_path    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    hits         BIGINT NOT NULL DEFAULT 0,
    UNIQUE (engine, state_hash)
);
CREATE INDEX layer_parent ON layer (engine, parent_hash);
CREATE INDEX layer_last_used ON layer (last_used_at);

-- chain_job: one job of the /v1/jobs API (or a CLI run). JSON columns hold what is only ever read whole.
CREATE TABLE chain_job (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id        TEXT,
    user_id           TEXT,
    status            TEXT NOT NULL,
    stage             TEXT,
    engine            TEXT NOT NULL,
    head_path         TEXT NOT NULL,
    variables         TEXT NOT NULL,
    timeout_ms        BIGINT,
    job_ttl           BIGINT NOT NULL,
    snapshot_ttl      BIGINT,
    webhook_url       TEXT,
    telemetry_context TEXT,
    tail_hash         TEXT,
    layer_id          BIGINT,
    cache_hit         BIGINT,
    miss              TEXT,
    stages            TEXT,
    result            TEXT,
    error_message     TEXT,
    error_sqlstate    TEXT,
    error_path        TEXT,
    error_line        BIGINT,
    retries           BIGINT NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    expires_at        TEXT NOT NULL
);
CREATE INDEX chain_job_status ON chain_job (status);
CREATE INDEX chain_job_expires ON chain_job (expires_at);

CREATE TABLE chain_job_file (
    job_id  BIGINT NOT NULL REFERENCES chain_job (id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    content TEXT NOT NULL,
    etag    TEXT,
    PRIMARY KEY (job_id, path)
);

CREATE TABLE chain_job_log (
    job_id BIGINT NOT NULL REFERENCES chain_job (id) ON DELETE CASCADE,
    seq    BIGINT NOT NULL,
    at     TEXT NOT NULL,
    line   TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
