-- 012 (TimescaleDB): nothing to do. On this path the rollups are continuous aggregates that
-- TimescaleDB maintains; the plain path derives its minute and hour rollups from the level below
-- (012_rollup_derived.plain.sql). The version exists on both paths so that schema_migrations
-- reads the same on both.
SELECT 1;
