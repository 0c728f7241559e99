-- The run aggregate's change version: bumped in the same transaction as every change to what run listings show of a
-- run (a run recorded or deleted; its status, times, counts, error, trigger, module or group run changed). The
-- dashboard keeps each module's newest run in memory under ('module', 'run') and reads the rows again only when
-- one of the two versions moved. Appending to a run's live log does not count: listings do not show it.
INSERT INTO change_version (aggregate, version) VALUES ('run', 0);

CREATE TRIGGER run_log_inserted AFTER INSERT ON run_log
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'run'; END;
CREATE TRIGGER run_log_updated
AFTER UPDATE OF module_id, module_name, group_run_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by ON run_log
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'run'; END;
CREATE TRIGGER run_log_deleted AFTER DELETE ON run_log
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'run'; END;
