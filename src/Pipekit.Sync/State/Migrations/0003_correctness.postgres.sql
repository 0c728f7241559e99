-- The PostgreSQL form of 0003_correctness.sqlite.sql (BIGINT for every integer).
-- Sync correctness (issue 16): delete detection, schema-change rules and verification per module, and what each run
-- did about them. Adds columns only, after 0002_run_history rebuilt run_log.

-- delete_detection: none | hard | soft; keys_query: explicit source key set (else derived from source_query);
-- allow_empty_source: an empty key set may delete every destination row; schema_change: fail | add_columns | evolve;
-- verify: none | counts | keys, run after every successful run.
ALTER TABLE module ADD COLUMN delete_detection TEXT NOT NULL DEFAULT 'none' CHECK (delete_detection IN ('none', 'hard', 'soft'));
ALTER TABLE module ADD COLUMN keys_query TEXT;
ALTER TABLE module ADD COLUMN allow_empty_source BIGINT NOT NULL DEFAULT 0;
ALTER TABLE module ADD COLUMN schema_change TEXT NOT NULL DEFAULT 'fail' CHECK (schema_change IN ('fail', 'add_columns', 'evolve'));
ALTER TABLE module ADD COLUMN verify TEXT NOT NULL DEFAULT 'none' CHECK (verify IN ('none', 'counts', 'keys'));

-- schema_changes: one line per ALTER the run made on the destination; deleted_rows: rows deleted (or marked deleted)
-- because their key left the source; verify_json: the verification after the run; drift: 1 when it found a difference
-- (the run shows as "success, drift").
ALTER TABLE run_log ADD COLUMN schema_changes TEXT;
ALTER TABLE run_log ADD COLUMN deleted_rows BIGINT;
ALTER TABLE run_log ADD COLUMN verify_json TEXT;
ALTER TABLE run_log ADD COLUMN drift BIGINT NOT NULL DEFAULT 0;
