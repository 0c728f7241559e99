-- The PostgreSQL form widens INTEGER columns to BIGINT; SQLite's integers are already 64-bit, so nothing changes here.
SELECT 1;
