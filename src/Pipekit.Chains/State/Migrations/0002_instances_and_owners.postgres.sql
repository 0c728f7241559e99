-- PostgreSQL spelling of 0002_instances_and_owners.sqlite.sql: 64-bit integers; everything else is the same.
-- Chains: kept instances, job owners and instance slots shared by every node of one store.
-- A job asked with keep_instance keeps its instance pkj_<id> after it completes until instance_kept_until
-- (its snapshot_ttl from the end); GC drops it then and sets instance_dropped_at. instance_connect says how to
-- reach it (a postgres:// URI without a password, or the DuckDB/SQLite file path).
ALTER TABLE chain_job ADD COLUMN keep_instance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chain_job ADD COLUMN instance_name TEXT;
ALTER TABLE chain_job ADD COLUMN instance_connect TEXT;
ALTER TABLE chain_job ADD COLUMN instance_kept_until TEXT;
ALTER TABLE chain_job ADD COLUMN instance_dropped_at TEXT;
-- owner: the node running the job (host:pid:random, one per process start), which renews heartbeat_at while it
-- runs; a job whose owner's heartbeat is older than the lease is the only kind another node may fail.
-- cancel_requested_at: a cancel asked on another node, which the owner polls and honours.
ALTER TABLE chain_job ADD COLUMN owner TEXT;
ALTER TABLE chain_job ADD COLUMN heartbeat_at TEXT;
ALTER TABLE chain_job ADD COLUMN cancel_requested_at TEXT;
CREATE INDEX chain_job_owner ON chain_job (owner);
CREATE INDEX chain_job_kept ON chain_job (instance_kept_until);

-- chain_instance_slot: one row per live instance of any node, numbered 1..[chains].max_instances. The primary key
-- is what bounds them: taking a slot is an INSERT that conflicts when another node took the same number first.
-- A slot whose holder's heartbeat is older than the lease is free again (the node died).
CREATE TABLE chain_instance_slot (
    slot         BIGINT PRIMARY KEY,
    holder       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
