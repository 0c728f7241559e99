-- The PostgreSQL form of 0007_run_change_version.sqlite.sql.
-- The run aggregate's change version: bumped in the same transaction as every change to what run listings show of a
-- run (a run recorded or deleted; its status, times, counts, error, trigger, module or group run changed). The
-- dashboard keeps each module's newest run in memory under ('module', 'run') and reads the rows again only when
-- one of the two versions moved. Appending to a run's live log does not count: listings do not show it.
INSERT INTO change_version (aggregate, version) VALUES ('run', 0);

CREATE FUNCTION run_change_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_version SET version = version + 1 WHERE aggregate = 'run';
    RETURN NULL;
END
$$;

-- Once per statement, not per row: a statement that writes many runs bumps the version once, and holds the version's
-- row lock only from its end to its commit.
CREATE TRIGGER run_log_changed
AFTER INSERT OR DELETE OR UPDATE OF module_id, module_name, group_run_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by
ON run_log FOR EACH STATEMENT EXECUTE FUNCTION run_change_version_bump();
