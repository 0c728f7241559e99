-- Full refreshes at the pipe's speed (issue 16): how a full module's run replaces the destination's rows.
-- full_load: staging (load staging, then empty the destination and copy staging in, in one transaction; the default and
-- the behaviour before this migration) | direct (empty the destination and load it in one transaction) | swap (load a
-- new table built like the destination and rename it into place in one transaction).
ALTER TABLE module ADD COLUMN full_load TEXT NOT NULL DEFAULT 'staging' CHECK (full_load IN ('staging', 'direct', 'swap'));
