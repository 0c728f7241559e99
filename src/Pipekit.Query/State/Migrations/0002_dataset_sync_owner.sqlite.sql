-- Datasets a Sync run registers (a module with a Parquet destination) say so: source 'sync', and module names the module
-- that owns them (its runs register and refresh the dataset). SQLite cannot change a CHECK constraint in place, so the
-- table is rebuilt with every row and id kept. module is the last column, where PostgreSQL's ALTER TABLE ADD COLUMN puts
-- it, so both stores list the same columns in the same order. The AUTOINCREMENT high-water mark is carried over, so a
-- removed dataset's id is still never given to another.
CREATE TABLE dataset_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    uri          TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('parquet', 'csv', 'json')),
    options      TEXT NOT NULL DEFAULT '{}',
    source       TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'catalog', 'sync')),
    etag         TEXT,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'error')),
    last_error   TEXT,
    refreshed_at TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    module       TEXT,
    CHECK ((source = 'sync') = (module IS NOT NULL))
);
INSERT INTO dataset_new (id, name, uri, format, options, source, etag, status, last_error, refreshed_at, created_at, updated_at, module)
SELECT id, name, uri, format, options, source, etag, status, last_error, refreshed_at, created_at, updated_at, NULL FROM dataset;
INSERT INTO sqlite_sequence (name, seq) SELECT 'dataset_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'dataset_new');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'dataset'), 0))
WHERE name = 'dataset_new';
DROP TABLE dataset;
ALTER TABLE dataset_new RENAME TO dataset;
