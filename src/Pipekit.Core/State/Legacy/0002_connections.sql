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
