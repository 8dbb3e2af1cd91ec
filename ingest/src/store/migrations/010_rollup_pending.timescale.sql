-- 010 (TimescaleDB): nothing to do. On this path the rollups are continuous aggregates that
-- TimescaleDB maintains; the plain path's rollup markers (010_rollup_pending.plain.sql) are not
-- needed. The version exists on both paths so that schema_migrations reads the same on both.
SELECT 1;
