-- 002 (plain PostgreSQL): frame_channels becomes range-partitioned by UTC day, with a BRIN index
-- on time and a DEFAULT partition as a safety net; 10-second, minute and hour rollups are tables that ingest
-- maintains in the same transaction as the frames (ingest/src/store/writer.ts). docs/storage.md.
-- Never drops data: the 001 table is kept and attached as a partition (the range of the days it
-- holds), or, when empty, becomes the DEFAULT partition.

ALTER TABLE frame_channels RENAME TO frame_channels_legacy;
ALTER TABLE frame_channels_legacy RENAME CONSTRAINT frame_channels_pkey TO frame_channels_legacy_pkey;

CREATE TABLE frame_channels (
  rig_id      integer NOT NULL,
  channel     text NOT NULL,
  -- time of the channel's first sample; sample i is at start_time + i / rate_hz
  start_time  timestamptz NOT NULL,
  seq         bigint NOT NULL,
  rate_hz     real NOT NULL,
  n           integer NOT NULL,
  min         real NOT NULL,
  max         real NOT NULL,
  mean        double precision NOT NULL,
  samples     real[] NOT NULL,
  PRIMARY KEY (rig_id, channel, start_time, seq)
) PARTITION BY RANGE (start_time);

-- rows arrive in time order, so a BRIN summary per block range is tiny and prunes well
CREATE INDEX frame_channels_start_brin ON frame_channels USING brin (start_time);

DO $$
DECLARE
  lo timestamptz;
  hi timestamptz;
BEGIN
  SELECT min(start_time), max(start_time) INTO lo, hi FROM frame_channels_legacy;
  IF lo IS NULL THEN
    ALTER TABLE frame_channels_legacy RENAME TO frame_channels_default;
    ALTER TABLE frame_channels ATTACH PARTITION frame_channels_default DEFAULT;
  ELSE
    EXECUTE format('ALTER TABLE frame_channels ATTACH PARTITION frame_channels_legacy FOR VALUES FROM (%L) TO (%L)',
      date_trunc('day', lo, 'UTC'), date_trunc('day', hi, 'UTC') + interval '1 day');
    CREATE TABLE frame_channels_default PARTITION OF frame_channels DEFAULT;
  END IF;
END $$;

-- Daily partitions frame_channels_pYYYYMMDD for [p_from, p_from + p_days). A day that an older
-- partition already covers is skipped. Frames of a day that reached the DEFAULT partition before
-- its partition existed are moved into the new partition (in this transaction, none is lost).
-- Called by migrate (yesterday .. 7 days ahead) and by ingest (at start, daily, and for any day a
-- batch needs).
CREATE OR REPLACE FUNCTION rs_ensure_frame_partitions (p_from date, p_days integer) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  d     date;
  part  text;
  lo    timestamptz;
  hi    timestamptz;
  made  integer := 0;
BEGIN
  -- one creator at a time (several ingest instances); released at the end of the transaction
  PERFORM pg_advisory_xact_lock(7305114002);
  FOR i IN 0 .. p_days - 1 LOOP
    d := p_from + i;
    part := 'frame_channels_p' || to_char(d, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    lo := d::timestamp AT TIME ZONE 'UTC';
    hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF frame_channels FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
      made := made + 1;
    EXCEPTION
      WHEN invalid_object_definition THEN
        NULL; -- overlaps a partition that already holds this day (the 001 table's range)
      WHEN check_violation THEN
        -- the DEFAULT partition holds rows of this day: move them into the day's partition
        EXECUTE format('CREATE TABLE %I (LIKE frame_channels INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
        EXECUTE format('WITH moved AS (DELETE FROM frame_channels_default WHERE start_time >= %L AND start_time < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
        EXECUTE format('ALTER TABLE frame_channels ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        made := made + 1;
    END;
  END LOOP;
  RETURN made;
END
$fn$;

SELECT rs_ensure_frame_partitions(((now() AT TIME ZONE 'UTC')::date) - 1, 9);

-- Rollups: per rig, channel and 10 s / minute / hour, of the windows that start in it. `sum` is the exact
-- (numeric) sum of mean * n, so the mean of any set of buckets does not depend on addition order
-- and equals the TimescaleDB path's continuous aggregates to the last bit.
CREATE TABLE IF NOT EXISTS frame_rollup_10s (
  rig_id   integer NOT NULL,
  channel  text NOT NULL,
  bucket   timestamptz NOT NULL,
  n        bigint NOT NULL,
  min      real NOT NULL,
  max      real NOT NULL,
  sum      numeric NOT NULL,
  PRIMARY KEY (rig_id, channel, bucket)
);

CREATE TABLE IF NOT EXISTS frame_rollup_1m (
  rig_id   integer NOT NULL,
  channel  text NOT NULL,
  bucket   timestamptz NOT NULL,
  n        bigint NOT NULL,
  min      real NOT NULL,
  max      real NOT NULL,
  sum      numeric NOT NULL,
  PRIMARY KEY (rig_id, channel, bucket)
);

CREATE TABLE IF NOT EXISTS frame_rollup_1h (
  rig_id   integer NOT NULL,
  channel  text NOT NULL,
  bucket   timestamptz NOT NULL,
  n        bigint NOT NULL,
  min      real NOT NULL,
  max      real NOT NULL,
  sum      numeric NOT NULL,
  PRIMARY KEY (rig_id, channel, bucket)
);

-- frames stored before this migration get their rollups now
INSERT INTO frame_rollup_10s (rig_id, channel, bucket, n, min, max, sum)
SELECT rig_id, channel, date_bin('10 seconds', start_time, timestamptz '2000-01-01 00:00:00+00'), sum(n), min(min), max(max), sum((mean * n)::numeric)
FROM frame_channels GROUP BY 1, 2, 3
ON CONFLICT (rig_id, channel, bucket) DO NOTHING;

INSERT INTO frame_rollup_1m (rig_id, channel, bucket, n, min, max, sum)
SELECT rig_id, channel, date_bin('1 minute', bucket, timestamptz '2000-01-01 00:00:00+00'), sum(n), min(min), max(max), sum(sum)
FROM frame_rollup_10s GROUP BY 1, 2, 3
ON CONFLICT (rig_id, channel, bucket) DO NOTHING;

INSERT INTO frame_rollup_1h (rig_id, channel, bucket, n, min, max, sum)
SELECT rig_id, channel, date_bin('1 hour', bucket, timestamptz '2000-01-01 00:00:00+00'), sum(n), min(min), max(max), sum(sum)
FROM frame_rollup_1m GROUP BY 1, 2, 3
ON CONFLICT (rig_id, channel, bucket) DO NOTHING;
