-- Brings a store made before each part owned its schema (legacy versions 1-6 in one list) to the shape of
-- core 0001 and sync 0001, keeping every row. Runs once, in one transaction, before the parts' migrations.

-- Schedules named their group by a foreign key into Sync's table; now they name a (kind, id) target.
CREATE TABLE schedule_reshaped (
    id            INTEGER PRIMARY KEY,
    target_kind   TEXT NOT NULL,
    target_id     INTEGER NOT NULL,
    cron_expr     TEXT NOT NULL,
    timezone      TEXT NOT NULL DEFAULT 'UTC',
    enabled       INTEGER NOT NULL DEFAULT 1,
    last_fired_at TEXT,
    next_fire_at  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO schedule_reshaped (id, target_kind, target_id, cron_expr, timezone, enabled, last_fired_at, next_fire_at, created_at, updated_at)
SELECT id, 'group', group_id, cron_expr, timezone, enabled, last_fired_at, next_fire_at, created_at, updated_at FROM schedule;
DROP TABLE schedule;
ALTER TABLE schedule_reshaped RENAME TO schedule;
CREATE INDEX schedule_target ON schedule (target_kind, target_id);

CREATE TRIGGER grp_deleted_schedules AFTER DELETE ON grp
BEGIN DELETE FROM schedule WHERE target_kind = 'group' AND target_id = OLD.id; END;
