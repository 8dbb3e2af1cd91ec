-- 100: the model registry and rollouts of cloud-api (docs/api.md, "Models and rollouts").
-- Uploaded packages are kept whole (manifest, model, self-test fixture) so every api instance
-- serves them to the agents; packages shipped in inference/models are not copied here.
-- Migrations never drop data.

CREATE TABLE IF NOT EXISTS model_packages (
  name             text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-]{1,64}$'),
  version          text NOT NULL CHECK (version ~ '^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$'),
  -- manifest.json exactly as uploaded (the bytes its sha256 and signature cover)
  manifest         bytea NOT NULL,
  manifest_sha256  text NOT NULL,
  model_file       text NOT NULL,
  model            bytea NOT NULL,
  model_sha256     text NOT NULL,
  selftest_file    text,
  selftest         bytea,
  size_bytes       bigint NOT NULL,
  signed           boolean NOT NULL,
  -- the signature verified against the api's signing public key at upload (false: no key configured)
  signature_verified boolean NOT NULL DEFAULT false,
  -- manifest.created when it has one, else the upload time
  created_at       timestamptz NOT NULL,
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  uploaded_by      text NOT NULL,
  PRIMARY KEY (name, version)
);

-- One row per rollout (or rollback of one) in a tenant. For a rollback, version is the version
-- being rolled back from; each rig's target is in model_rollout_rigs.
CREATE TABLE IF NOT EXISTS model_rollouts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant       text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('rollout', 'rollback')),
  name         text NOT NULL,
  version      text NOT NULL,
  -- a rollout is rolled back at most once
  rollback_of  bigint UNIQUE REFERENCES model_rollouts (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL
);

CREATE INDEX IF NOT EXISTS model_rollouts_tenant ON model_rollouts (tenant, id DESC);

CREATE TABLE IF NOT EXISTS model_rollout_rigs (
  rollout_id        bigint NOT NULL REFERENCES model_rollouts (id),
  tenant            text NOT NULL,
  rig               text NOT NULL,
  target_version    text NOT NULL,
  -- what the rig ran when the command was sent (null = not known)
  previous_version  text,
  status            text NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'rolled-back', 'superseded', 'skipped')),
  -- the agent's CommandReply detail (starts with the error code when it refused)
  detail            text,
  active_version    text,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rollout_id, rig)
);

-- a reply is matched to the newest pending command of its rig
CREATE INDEX IF NOT EXISTS model_rollout_rigs_pending ON model_rollout_rigs (tenant, rig, rollout_id DESC) WHERE status = 'pending';

-- the model version each rig last reported in a model CommandReply
CREATE TABLE IF NOT EXISTS rig_model_versions (
  tenant      text NOT NULL,
  rig         text NOT NULL,
  version     text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, rig)
);
