-- Run history outlives what it ran (seed 004 calls the run log an immutable history record): the PostgreSQL form of
-- 0002_run_history.sqlite.sql. Run ids already only grow here (an identity column's sequence never hands a value out
-- twice), so only the module reference changes: module_id becomes nullable and is set NULL when the module goes,
-- instead of deleting its runs, and module_name keeps the name of the module at run start.
ALTER TABLE run_log ADD COLUMN module_name TEXT;
UPDATE run_log r SET module_name = m.name FROM module m WHERE m.id = r.module_id;
UPDATE run_log SET module_name = 'module ' || module_id WHERE module_name IS NULL;
ALTER TABLE run_log ALTER COLUMN module_name SET NOT NULL;
ALTER TABLE run_log ALTER COLUMN module_id DROP NOT NULL;
ALTER TABLE run_log DROP CONSTRAINT run_log_module_id_fkey;
ALTER TABLE run_log ADD CONSTRAINT run_log_module_id_fkey FOREIGN KEY (module_id) REFERENCES module (id) ON DELETE SET NULL;

-- A schedule names its target by (kind, id), which no FOREIGN KEY can check: a schedule saved while its group was being
-- deleted is refused instead of pointing at nothing. The group row is key-share locked, so a delete running at the same
-- time either waits for this schedule (and then takes it with the group, 0001) or ran first (and the group is missing).
CREATE FUNCTION schedule_group_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.target_kind = 'group' THEN
        PERFORM 1 FROM grp WHERE id = NEW.target_id FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the group a schedule names does not exist' USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER schedule_group_exists BEFORE INSERT OR UPDATE OF target_kind, target_id ON schedule
FOR EACH ROW EXECUTE FUNCTION schedule_group_exists();
