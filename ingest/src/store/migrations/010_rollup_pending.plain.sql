-- 010 (plain PostgreSQL): rollups are folded after the commit, not inside it.
-- A frame's batch transaction also inserts a marker here; the rollup flush (ingest/src/store/
-- rollups.ts, every couple of seconds) deletes the markers of the frames it adds to the 10 s,
-- minute and hour rollups IN THE SAME STATEMENT, so a frame is added exactly once: by the flush
-- of the instance that stored it, or, if that instance died before flushing, by the recovery
-- that any instance runs for markers older than a threshold (from the stored per-window
-- summaries in frame_channels). Deleting the marker is the claim; whoever deletes it adds the
-- frame. docs/storage.md, "Rollups".
CREATE TABLE IF NOT EXISTS rollup_pending (
  rig_id       integer NOT NULL,
  seq          bigint NOT NULL,
  -- the frame's channel start times span [first_start, last_start] (finds its rows again)
  first_start  timestamptz NOT NULL,
  last_start   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rig_id, seq)
);
