-- 013 (TimescaleDB): nothing to do. The plain path turns off insert-triggered autovacuum on its
-- daily frame partitions and their samples' statistics
-- (013_frame_maintenance.plain.sql); here the chunks are TimescaleDB's and are
-- compressed (rewritten) after a day. The version exists on both paths so that schema_migrations
-- reads the same on both.
SELECT 1;
