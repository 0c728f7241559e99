-- Cron schedules of groups (seed 002 "Groups and scheduling"), with an IANA time zone per schedule.
-- last_fired_at is the compare-and-swap token: a fire first moves it from the value the scheduler read to
-- now, so two processes (or a restart) never fire one occurrence twice. next_fire_at is for display.
CREATE TABLE schedule (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES grp (id) ON DELETE CASCADE,
    cron_expr     TEXT NOT NULL,
    timezone      TEXT NOT NULL DEFAULT 'UTC',
    enabled       INTEGER NOT NULL DEFAULT 1,
    last_fired_at TEXT,
    next_fire_at  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX schedule_group ON schedule (group_id);
