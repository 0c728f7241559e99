-- Sync as code (issue 10): a module may declare that its hooks may fail. A failed hook then leaves the run a success
-- for `pipekit run`'s exit code (0, "the merge stands"), as --allow-hook-failure does for one invocation.
ALTER TABLE module ADD COLUMN hooks_may_fail INTEGER NOT NULL DEFAULT 0;
