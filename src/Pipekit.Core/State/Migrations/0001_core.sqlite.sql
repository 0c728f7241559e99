-- Core's tables: what every part shares. Settings, named connections and schedules.

-- Key/value settings: the HTTP Basic credentials (auth.username, auth.password_hash) and user preferences.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Named database connections (seed 002 "Connections and credentials"). The password column holds
-- nothing or a $NAME secret reference: passwords never live in the state database.
CREATE TABLE connection (
    id                         INTEGER PRIMARY KEY,
    name                       TEXT NOT NULL UNIQUE,
    driver                     TEXT NOT NULL,
    url                        TEXT NOT NULL,
    username                   TEXT,
    password                   TEXT,
    dialect                    TEXT,
    project                    TEXT,
    default_dest_connection_id INTEGER REFERENCES connection (id) ON DELETE SET NULL,
    default_dest_schema        TEXT,
    notes                      TEXT,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    CHECK (password IS NULL OR password = '' OR substr(password, 1, 1) = '$')
);

-- Cron schedules (seed 002 "Groups and scheduling"), with an IANA time zone per schedule. A schedule starts runs
-- of one target: (target_kind, target_id) names it, and the part that owns the kind (Sync: group, Pipelines:
-- pipeline) starts the run and removes the schedules of a target it deletes.
-- last_fired_at is the compare-and-swap token: a fire first moves it from the value the scheduler read to
-- now, so two processes (or a restart) never fire one occurrence twice. next_fire_at is for display.
CREATE TABLE schedule (
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
CREATE INDEX schedule_target ON schedule (target_kind, target_id);
