-- 013 (plain PostgreSQL): lighter maintenance of the daily frame partitions. First, no
-- insert-triggered autovacuum on them.
-- Since PostgreSQL 13 autovacuum also vacuums a table after 20 % new rows; on a day partition
-- taking tens of thousands of rows a second that is a scan of gigabytes that rewrites every page
-- it sets hint bits on, and on a 2-core ingest node it was what pushed ingest's p99 latency past
-- 1 s at 2,000,000 samples/s (bench ingest: p99 250 ms with autovacuum off, 0.7-1.3 s when a
-- vacuum of frame_channels_pYYYYMMDD ran in the window; docs/benchmarks.md, "Ingest throughput").
-- Frame partitions are append-only and read through their primary key and BRIN, never
-- index-only, so those vacuums bought nothing. Dead rows (frames moved out of the DEFAULT
-- partition, which keeps the default settings) still trigger vacuums as always, and PostgreSQL's
-- anti-wraparound vacuum still freezes each partition once (autovacuum_freeze_max_age).
-- And no planner statistics on `samples` (SET STATISTICS 0): no query filters on sample values,
-- and the element statistics of a real[] column were most of an ANALYZE's time (about 3x, on
-- 400,000 frame rows). The other columns keep theirs.
-- Applies to the existing day partitions and, through rs_ensure_frame_partitions, to new ones
-- (a partition does not take a column's statistics target from its parent).
-- Nothing is rewritten or dropped.
DO $$
DECLARE
  part regclass;
BEGIN
  FOR part IN
    SELECT i.inhrelid::regclass FROM pg_inherits i
    WHERE i.inhparent = 'frame_channels'::regclass AND i.inhrelid <> 'frame_channels_default'::regclass
  LOOP
    EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_insert_threshold = -1)', part);
  END LOOP;
END $$;
-- on the parent it recurses to every partition there is now, DEFAULT included
ALTER TABLE frame_channels ALTER COLUMN samples SET STATISTICS 0;

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
      EXECUTE format('CREATE TABLE %I PARTITION OF frame_channels FOR VALUES FROM (%L) TO (%L) WITH (autovacuum_vacuum_insert_threshold = -1)', part, lo, hi);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN samples SET STATISTICS 0', part);
      made := made + 1;
    EXCEPTION
      WHEN invalid_object_definition THEN
        NULL; -- overlaps a partition that already holds this day (the 001 table's range)
      WHEN check_violation THEN
        -- the DEFAULT partition holds rows of this day: move them into the day's partition
        EXECUTE format('CREATE TABLE %I (LIKE frame_channels INCLUDING DEFAULTS INCLUDING CONSTRAINTS) WITH (autovacuum_vacuum_insert_threshold = -1)', part);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN samples SET STATISTICS 0', part);
        EXECUTE format('WITH moved AS (DELETE FROM frame_channels_default WHERE start_time >= %L AND start_time < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
        EXECUTE format('ALTER TABLE frame_channels ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        made := made + 1;
    END;
  END LOOP;
  RETURN made;
END
$fn$;
