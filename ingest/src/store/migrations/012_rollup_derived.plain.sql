-- 012 (plain PostgreSQL): the minute and hour rollups are derived from the level below once their
-- buckets have closed (ingest/src/store/rollup-derive.ts), instead of being added to at every
-- flush. `until` is, per level, the watermark: every bucket before it is complete.
-- Until now ingest added every frame to all three levels, so what exists is complete: on a
-- database that has rollups, the minutes up to the end of the current one; on a new one, up to
-- its start (the current minute is derived when it closes, not by key at every flush); the hours
-- before the current one (the current hour is derived from its minutes when it closes; hour
-- watermark <= minute watermark, always).
-- BRIN on bucket: a derivation reads one closed minute (hour) of the level below for all rigs.
-- Nothing is rewritten or dropped.
CREATE TABLE IF NOT EXISTS rollup_derived (
  level  text PRIMARY KEY,
  until  timestamptz NOT NULL
);
INSERT INTO rollup_derived (level, until) VALUES
  ('frame_rollup_1m', date_bin('1 minute', now(), timestamptz '2000-01-01 00:00:00+00')
     + CASE WHEN EXISTS (SELECT 1 FROM frame_rollup_1m) THEN interval '1 minute' ELSE interval '0' END),
  ('frame_rollup_1h', date_bin('1 hour', now(), timestamptz '2000-01-01 00:00:00+00'))
ON CONFLICT (level) DO NOTHING;
CREATE INDEX IF NOT EXISTS frame_rollup_10s_bucket_brin ON frame_rollup_10s USING brin (bucket);
CREATE INDEX IF NOT EXISTS frame_rollup_1m_bucket_brin ON frame_rollup_1m USING brin (bucket);
