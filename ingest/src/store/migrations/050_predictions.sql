-- 050: model predictions and alerts (docs/worker.md). Written by the cloud inference workers
-- (source 'cloud') and, from the edge agents' MQTT predictions, with source 'edge'.
-- The primary key makes a redelivered window idempotent: a worker that restarts and computes the
-- same window again for the same model version and source inserts nothing.
-- Times are timestamptz (µs resolution: exact for the contract's µs times). Migrations never drop data.

CREATE TABLE IF NOT EXISTS predictions (
  tenant         text NOT NULL,
  rig            text NOT NULL,
  -- first sample of the diagnosed window (one load cycle) and its end (exclusive)
  window_start   timestamptz NOT NULL,
  window_end     timestamptz NOT NULL,
  model_version  text NOT NULL,
  source         text NOT NULL CHECK (source IN ('edge', 'cloud')),
  -- frame seqs the window was built from
  first_seq      bigint NOT NULL,
  last_seq       bigint NOT NULL,
  -- class index per target, in the model's target order (cheap comparisons: edge vs cloud drift)
  classes        smallint[] NOT NULL,
  -- [{target, classIndex, value, label, probs}] in the model's target order
  heads          jsonb NOT NULL,
  produced_at    timestamptz NOT NULL,
  stored_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, rig, window_start, model_version, source)
);

CREATE INDEX IF NOT EXISTS predictions_stored_at ON predictions (stored_at);

CREATE TABLE IF NOT EXISTS alerts (
  -- deterministic id (rule, rig, component, window): the same condition raised twice is one row
  id               text PRIMARY KEY,
  tenant           text NOT NULL,
  rig              text NOT NULL,
  raised_at        timestamptz NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
  component        text NOT NULL,
  rule             text NOT NULL,
  message          text NOT NULL,
  source           text NOT NULL CHECK (source IN ('edge', 'cloud')),
  raised_offline   boolean NOT NULL DEFAULT false,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  stored_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS alerts_rig ON alerts (tenant, rig, raised_at);
