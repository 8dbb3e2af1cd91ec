-- 101: named groups of rigs in a tenant (e.g. "canary", "line-a"), set by a tenant admin and used
-- as the target of a model rollout (docs/api.md, "Models and rollouts"). A rig may be in several
-- groups. Migrations never drop data.

CREATE TABLE IF NOT EXISTS rig_groups (
  tenant      text NOT NULL,
  group_name  text NOT NULL CHECK (group_name ~ '^[A-Za-z0-9_-]{1,64}$'),
  rig         text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, group_name, rig)
);

-- the group a rollout was started for (null: an explicit list of rigs)
ALTER TABLE model_rollouts ADD COLUMN IF NOT EXISTS rig_group text;
