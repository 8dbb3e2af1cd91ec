-- 011 (TimescaleDB): nothing to do. On this path the rollups are continuous aggregates that
-- TimescaleDB maintains; the plain path leaves room on the rollup tables' pages for updates
-- (011_rollup_fillfactor.plain.sql). The version exists on both paths so that schema_migrations
-- reads the same on both.
SELECT 1;
