-- 011 (plain PostgreSQL): room on every page of the rollup tables for updated row versions.
-- The rollup flush (ingest/src/store/rollups.ts) rewrites each open bucket's row once per flush;
-- with pages left half empty PostgreSQL can put the new version on the same page without a new
-- index entry (a HOT update), which cut the flush's upsert time by about a third in a measurement
-- (docs/benchmarks.md, "Ingest throughput"). Applies to pages written from now on; nothing is
-- rewritten or dropped.
ALTER TABLE frame_rollup_10s SET (fillfactor = 50);
ALTER TABLE frame_rollup_1m SET (fillfactor = 50);
ALTER TABLE frame_rollup_1h SET (fillfactor = 50);
