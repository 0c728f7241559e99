-- Placeholder for migration 0004, which another branch of issue 16 adds; the migrator needs 1..N without gaps.
-- When that branch's 0004 is merged, delete this pair (two migrations numbered 4 are refused at start-up).
SELECT 1;
