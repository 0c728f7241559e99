-- The PostgreSQL form of 0006_retries.sqlite.sql (BIGINT for every integer).
-- Retries (issue 15): a module retries a run that failed with a transient error (a refused connection, a timeout, a
-- deadlock, a serialization failure) before its merge committed. Adds columns only.

-- retries: extra attempts after the first (0 = none); retry_delay_ms: the wait before the first retry;
-- retry_backoff: fixed (the same wait each time) | exponential (the wait doubles after each attempt).
ALTER TABLE module ADD COLUMN retries BIGINT NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 10);
ALTER TABLE module ADD COLUMN retry_delay_ms BIGINT NOT NULL DEFAULT 30000 CHECK (retry_delay_ms >= 0);
ALTER TABLE module ADD COLUMN retry_backoff TEXT NOT NULL DEFAULT 'fixed' CHECK (retry_backoff IN ('fixed', 'exponential'));

-- attempts: how many attempts the run took (1 when it did not retry); each one is in the run's live log.
ALTER TABLE run_log ADD COLUMN attempts BIGINT NOT NULL DEFAULT 1;
