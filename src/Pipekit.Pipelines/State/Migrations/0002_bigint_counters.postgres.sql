-- Every integer the repositories read is a 64-bit value (SQLite has only those), so the PostgreSQL columns that
-- 0001 made INTEGER become BIGINT: Dapper maps a row by its constructor and refuses an int where it takes a long
-- (the dashboard's pipeline runs failed on a PostgreSQL store).
ALTER TABLE pipeline_run ALTER COLUMN attempt TYPE BIGINT;
ALTER TABLE task_run ALTER COLUMN run_attempt TYPE BIGINT;
ALTER TABLE task_run ALTER COLUMN attempts TYPE BIGINT;
ALTER TABLE task_run ALTER COLUMN exit_code TYPE BIGINT;
ALTER TABLE secret_access ALTER COLUMN found TYPE BIGINT;
