-- Key/value settings: the HTTP Basic credentials (auth.username, auth.password_hash) and user preferences.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
