-- Query datasets (seed 003): Parquet/CSV/JSON files, globs or s3:// objects published as DuckDB views.
-- source: 'api' (pipekit datasets add, POST /api/datasets) or 'catalog' (mirrored from [query].catalog_url).
-- etag: what the registrar last saw of the data (object ETags, or file sizes and times); with updated_at it decides
-- whether a refresh can skip the dataset. status: 'pending' until the first refresh, then 'ok' or 'error'.
-- AUTOINCREMENT: a removed dataset's id is never given to another.
CREATE TABLE dataset (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    uri          TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('parquet', 'csv', 'json')),
    options      TEXT NOT NULL DEFAULT '{}',
    source       TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'catalog')),
    etag         TEXT,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'error')),
    last_error   TEXT,
    refreshed_at TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
