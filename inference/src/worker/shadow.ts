// Shadow candidate (docs/worker.md, "Shadow candidate"): a second model package runs beside the
// active one on the same windows of every batch. Its predictions go to their own table
// (shadow_predictions, migration 160) marked with the candidate's name and version and the active
// version beside it; they are never produced to rs.predictions.v1, never pushed on the live bus
// and never seen by the alert rule. The score (per target: agreement with the active model's
// stored prediction of the same window, and accuracy where the window carries labels) is computed
// from the stored rows (store.ts shadowScore, cloud-api GET /api/v1/shadow/:name/:version).
import { rsError } from '../../../common/src/errors.js'
import { repoPath } from '../../../common/src/paths.js'
import { loadUciCycles } from '../uci.js'
import type { ModelRuntime } from '../types.js'
import type { ClosedWindow, StoredHead } from './types.js'

/** True class values of a window by target name (e.g. {cooler: 3, valve: 100, ...}), or null when unknown. */
export type LabelSource = (w: ClosedWindow) => Record<string, number> | null

export interface ShadowOptions {
  /** the candidate, loaded */
  runtime: ModelRuntime
  /** labels of windows that carry them (replayed UCI cycles: uciLabelSource) */
  labels?: LabelSource | null
}

export interface ShadowRow {
  tenant: string
  rig: string
  windowStartUs: number
  windowEndUs: number
  modelName: string
  modelVersion: string
  activeVersion: string
  heads: StoredHead[]
  labels: Record<string, number> | null
  producedUs: number
}

export interface ShadowTargetScore {
  target: string
  /** windows with both a shadow and an active prediction for this target */
  compared: number
  /** share of those where the candidate's class equals the active model's (null when none compared) */
  agreement: number | null
  /** compared windows that carry a label for this target */
  labelled: number
  /** share of the labelled windows the candidate got right, and the active model on the same windows */
  accuracy: number | null
  activeAccuracy: number | null
}

export interface ShadowScore {
  modelName: string
  modelVersion: string
  /** null: every tenant */
  tenant: string | null
  sinceUs: number
  /** shadow predictions stored (in the tenant and time range) */
  windows: number
  /** of those, windows with the active model's stored prediction to compare with */
  compared: number
  /** active model versions the candidate ran beside */
  activeVersions: string[]
  targets: ShadowTargetScore[]
}

/**
 * Labels of replayed UCI cycles: a window whose frames carry a cycle number (FrameBatch.cycle, set
 * by the UCI replay) gets that cycle's labels from the data set's profile.txt. Only right for rigs
 * that replay the UCI data set (tests, demos, the shadow evaluation of a candidate on known cycles):
 * `rigs` (a pattern on the rig id) says which those are; null = every rig.
 */
export function uciLabelSource (opts: { dir?: string, rigs?: RegExp | null } = {}): LabelSource {
  const dir = opts.dir ?? repoPath('edge-agent', 'data', 'uci-hydraulic')
  const data = loadUciCycles(dir)
  const byCycle = new Map<number, Record<string, number>>()
  for (const c of data.cycles) byCycle.set(c.cycleNumber, { ...c.labels })
  if (byCycle.size === 0) throw rsError('RS_ERR_CONFIG', `no labelled cycles in ${dir}`)
  // the simulator numbers its cycles too: only rigs that replay the data set may be labelled from it
  const rigs = opts.rigs ?? null
  return w => (w.cycle > 0 && (rigs === null || rigs.test(w.rig)) ? byCycle.get(w.cycle) ?? null : null)
}
