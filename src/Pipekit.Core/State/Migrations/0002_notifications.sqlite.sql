-- Notifications (issue 15): channels added through the API or the Settings page (those of pipekit.toml stay in the
-- file), rules, the run outcomes rules compare against (recovery, the median of the last runs) and the late alerts
-- already sent. Secrets are never stored: a webhook's signing secret and an SMTP password are $NAME references.

CREATE TABLE notification_channel (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('webhook', 'email')),
    url         TEXT,
    secret      TEXT,
    smtp_host   TEXT,
    smtp_port   INTEGER,
    security    TEXT,
    username    TEXT,
    password    TEXT,
    sender      TEXT,
    recipients  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (secret IS NULL OR substr(secret, 1, 1) = '$'),
    CHECK (password IS NULL OR substr(password, 1, 1) = '$')
);

-- One rule per target: target_kind 'global' (target_name '') is the default for every target without its own rule.
-- on_status lists the events (failure, recovery, always) comma-separated, '' for none; channels lists channel names, '' for every channel.
CREATE TABLE notification_rule (
    id                 INTEGER PRIMARY KEY,
    target_kind        TEXT NOT NULL CHECK (target_kind IN ('global', 'module', 'group', 'pipeline')),
    target_name        TEXT NOT NULL DEFAULT '',
    on_status          TEXT NOT NULL DEFAULT 'failure',
    channels           TEXT NOT NULL DEFAULT '',
    late_after_seconds INTEGER,
    long_factor        REAL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (target_kind, target_name)
);

-- Every finished run the notifier saw, by target name: the previous outcome decides a recovery, the durations of the
-- last 20 give the median of a "long" rule, and the latest finish tells whether a scheduled run is late.
CREATE TABLE notification_run (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,
    target_name TEXT NOT NULL,
    run_id      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('success', 'failure', 'cancelled')),
    duration_ms INTEGER NOT NULL,
    finished_at TEXT NOT NULL
);
CREATE INDEX notification_run_target ON notification_run (target_kind, target_name, id);

-- One row per schedule fire that a late alert was sent for: the insert is the claim, so two nodes never send it twice.
CREATE TABLE notification_late (
    schedule_id INTEGER NOT NULL,
    fired_at    TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (schedule_id, fired_at)
);
