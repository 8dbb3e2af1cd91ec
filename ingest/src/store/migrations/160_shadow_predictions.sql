-- 160: predictions of a candidate model run in shadow by the cloud inference workers beside the
-- active one, on the same windows (docs/worker.md, "Shadow candidate"). A table of their own, so
-- that nothing that reads `predictions` (dashboards, REST, the alert rule's history, edge/cloud
-- drift) can take a candidate's output for the rig's diagnosis. Scored against the active model's
-- stored prediction of the same window (`active_version`) and, where the window carries them, the
-- true labels. Migrations never drop data.

CREATE TABLE IF NOT EXISTS shadow_predictions (
  tenant          text NOT NULL,
  rig             text NOT NULL,
  window_start    timestamptz NOT NULL,
  window_end      timestamptz NOT NULL,
  -- the candidate package (manifest name and version)
  model_name      text NOT NULL,
  model_version   text NOT NULL,
  -- the active model version it ran beside (its row: predictions, same window, source 'cloud')
  active_version  text NOT NULL,
  -- candidate's class index per target, in the candidate's target order
  classes         smallint[] NOT NULL,
  -- [{target, classIndex, value, label, probs}] as in predictions.heads
  heads           jsonb NOT NULL,
  -- true class values by target when the window carries labels (replayed UCI cycles), else NULL
  labels          jsonb,
  produced_at     timestamptz NOT NULL,
  stored_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, rig, window_start, model_name, model_version)
);

CREATE INDEX IF NOT EXISTS shadow_predictions_model ON shadow_predictions (model_name, model_version, window_start);
