-- 001: frame storage on plain PostgreSQL (docs/storage.md).
-- One row per (rig, channel, frame window) with the samples as real[] and the window summary;
-- one row per accepted frame in frame_keys, whose primary key is the dedup of (tenant, rig, seq).
-- Partition-ready: frame_channels' primary key leads with the rig and contains start_time, so
-- issue 5 can turn it into daily range partitions on start_time (or a TimescaleDB hypertable)
-- without changing a key. Migrations never drop data.

CREATE TABLE IF NOT EXISTS rigs (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant      text NOT NULL,
  rig         text NOT NULL,
  profile     text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  -- newest stored frame: its seq and window start
  last_seq    bigint NOT NULL DEFAULT 0,
  last_seen   timestamptz,
  -- number of stored frames (maintained by ingest in the same transaction as the frames)
  frames      bigint NOT NULL DEFAULT 0,
  UNIQUE (tenant, rig)
);

-- Dedup of (tenant, rig, seq): enforced here, so it holds across ingest restarts and instances.
CREATE TABLE IF NOT EXISTS frame_keys (
  rig_id        integer NOT NULL REFERENCES rigs (id),
  seq           bigint NOT NULL CHECK (seq >= 1),
  window_start  timestamptz NOT NULL,
  received_at   timestamptz NOT NULL,
  PRIMARY KEY (rig_id, seq)
);

CREATE TABLE IF NOT EXISTS frame_channels (
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
);

CREATE TABLE IF NOT EXISTS dead_letters (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at   timestamptz NOT NULL,
  reason        text NOT NULL,
  detail        text NOT NULL,
  topic         text NOT NULL,
  tenant        text,
  rig           text,
  seq           bigint,
  -- the original payload, truncated to 64 KiB; payload_size is the original length
  payload       bytea NOT NULL,
  payload_size  integer NOT NULL
);

CREATE INDEX IF NOT EXISTS dead_letters_received_at ON dead_letters (received_at);
CREATE INDEX IF NOT EXISTS dead_letters_rig ON dead_letters (tenant, rig, received_at);
