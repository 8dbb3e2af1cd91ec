-- 002 (TimescaleDB): frame_channels becomes a hypertable of one-day chunks (existing rows are
-- moved into chunks, none dropped), compressed after 7 days segmented by rig and channel;
-- 10-second, minute and hour rollups are continuous aggregates (each built on the finer one) with
-- real-time aggregation, so a query sees frames the refresh policy has not materialised yet.
-- Policies run in TimescaleDB's background workers (docs/storage.md lists them).

CREATE EXTENSION IF NOT EXISTS timescaledb;

SELECT create_hypertable('frame_channels', by_range('start_time', INTERVAL '1 day'), migrate_data => true);

ALTER TABLE frame_channels SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'rig_id, channel',
  timescaledb.compress_orderby = 'start_time, seq'
);
SELECT add_compression_policy('frame_channels', compress_after => INTERVAL '7 days');

-- Same columns and bucketing as the plain path's rollup tables; `sum` is the exact (numeric) sum
-- of mean * n, so means do not depend on the order rows are added in.
CREATE MATERIALIZED VIEW frame_rollup_10s
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT rig_id, channel, time_bucket(INTERVAL '10 seconds', start_time) AS bucket,
       sum(n)::bigint AS n, min(min) AS min, max(max) AS max, sum((mean * n)::numeric) AS sum
FROM frame_channels
GROUP BY rig_id, channel, time_bucket(INTERVAL '10 seconds', start_time)
WITH NO DATA;

CREATE MATERIALIZED VIEW frame_rollup_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT rig_id, channel, time_bucket(INTERVAL '1 minute', bucket) AS bucket,
       sum(n)::bigint AS n, min(min) AS min, max(max) AS max, sum(sum) AS sum
FROM frame_rollup_10s
GROUP BY rig_id, channel, time_bucket(INTERVAL '1 minute', bucket)
WITH NO DATA;

CREATE MATERIALIZED VIEW frame_rollup_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT rig_id, channel, time_bucket(INTERVAL '1 hour', bucket) AS bucket,
       sum(n)::bigint AS n, min(min) AS min, max(max) AS max, sum(sum) AS sum
FROM frame_rollup_1m
GROUP BY rig_id, channel, time_bucket(INTERVAL '1 hour', bucket)
WITH NO DATA;

-- Refresh windows stay inside the 7 days before compression and far inside raw retention, so a
-- refresh never recomputes a bucket from raw data that is compressed or gone.
SELECT add_continuous_aggregate_policy('frame_rollup_10s',
  start_offset => INTERVAL '2 days', end_offset => INTERVAL '10 seconds', schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('frame_rollup_1m',
  start_offset => INTERVAL '2 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('frame_rollup_1h',
  start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '10 minutes');

-- Retention: raw frames 90 days, 10-second rollups 180 days, minute rollups 400 days, hour
-- rollups kept.
SELECT add_retention_policy('frame_channels', drop_after => INTERVAL '90 days');
SELECT add_retention_policy('frame_rollup_10s', drop_after => INTERVAL '180 days');
SELECT add_retention_policy('frame_rollup_1m', drop_after => INTERVAL '400 days');
