// The embedded feed (`npm start`): the worker follows ingest's LiveBus 'frames' events.
//
// Why the LiveBus and not the stored frames: ingest emits a frame there only after it is
// committed to PostgreSQL, in the same process, with the decoded FrameBatch in hand, so the worker
// sees exactly the stored frames with no polling and no second decode. What it gives up: a window
// open when the process stops is not resumed (at most one cycle per rig is not diagnosed across a
// restart); the Kafka worker (kafka.ts) is the one with commit-after-durable semantics.
import type { LiveBus, LiveFrame, LivePrediction } from '../../../common/src/live.js'
import { Prediction } from '../../../schemas/src/index.js'
import type { ModelManifest } from '../types.js'
import type { PredictionRow } from './types.js'
import type { Logger } from '../../../common/src/logger.js'
import { WorkerCore, type WorkerCoreOptions, type WorkerStats } from './worker.js'

export interface BusWorker {
  readonly provider: string
  /** target names in model order */
  readonly targets: readonly string[]
  stats (): WorkerStats & { edgePredictionsRefused: number }
  close (): Promise<void>
}

export interface BusWorkerOptions extends WorkerCoreOptions {
  bus: LiveBus
  log: Logger
  staleMs?: number
  /** also store the edge agents' predictions that reach the bus (source 'edge'), for edge-vs-cloud drift */
  storeEdge?: boolean
}

export async function startBusWorker (o: BusWorkerOptions): Promise<BusWorker> {
  const core = await WorkerCore.create(o)
  const onFrames = (ev: LiveFrame): void => {
    try {
      core.add(ev.batch, null)
    } catch (err) {
      o.log.error({ err, tenant: ev.tenant, rig: ev.rig }, 'frame skipped by the worker')
    }
  }
  o.bus.on('frames', onFrames)
  let edgeRefused = 0
  const onPrediction = (ev: LivePrediction): void => {
    if (ev.prediction.source !== Prediction.Source.EDGE) return
    const row = edgeRow(ev, core.runtime.manifest)
    if (typeof row === 'string') {
      edgeRefused++
      o.log.warn({ tenant: ev.tenant, rig: ev.rig, modelVersion: ev.prediction.modelVersion, reason: row }, 'edge prediction not stored: malformed')
      return
    }
    o.store.insertPredictions([row]).catch(err => o.log.warn({ err: (err as Error).message, tenant: ev.tenant, rig: ev.rig }, 'edge prediction not stored'))
  }
  if (o.storeEdge) o.bus.on('prediction', onPrediction)
  const staleMs = o.staleMs ?? 300_000
  const sweep = setInterval(() => core.assembler.evictStale(staleMs), Math.min(staleMs, 60_000))
  sweep.unref()
  o.log.info({ provider: core.provider, feed: 'live-bus' }, 'inference worker started (embedded)')
  return {
    provider: core.provider,
    targets: core.runtime.manifest.targets.map(t => t.name),
    stats: () => ({ ...core.stats(), edgePredictionsRefused: edgeRefused }),
    async close () {
      clearInterval(sweep)
      o.bus.off('frames', onFrames)
      o.bus.off('prediction', onPrediction)
      await core.close()
    }
  }
}

/**
 * An edge prediction (protobuf, from MQTT) as a row; class values come from the manifest when its
 * targets match. A string (why) when the prediction is malformed: heads with a class index that is
 * not a whole number within its probabilities, non-finite probabilities, no heads, or, for the
 * worker's own model version, heads other than the model's targets in order (edge/cloud drift
 * compares those class lists, and one odd row would break the query for the rig).
 */
export function edgeRow (ev: LivePrediction, manifest: ModelManifest): PredictionRow | string {
  const p = ev.prediction
  const heads = p.heads ?? []
  if (heads.length === 0) return 'no heads'
  for (const [i, h] of heads.entries()) {
    const probs = h.probs ?? []
    const k = h.classIndex ?? 0
    if (!Number.isInteger(k) || k < 0 || k >= probs.length) return `head ${i} (${String(h.target)}): class index ${k} is not one of its ${probs.length} probabilities`
    if (probs.some(x => !Number.isFinite(x))) return `head ${i} (${String(h.target)}): a probability is not finite`
  }
  if (p.modelVersion === manifest.version) {
    const want = manifest.targets
    if (heads.length !== want.length || heads.some((h, i) => h.target !== want[i]!.name || (h.probs ?? []).length !== want[i]!.values.length)) {
      return `heads ${heads.map(h => `${String(h.target)}/${(h.probs ?? []).length}`).join(',')} are not model ${manifest.version}'s targets ${want.map(t => `${t.name}/${t.values.length}`).join(',')}`
    }
  }
  return {
    tenant: ev.tenant,
    rig: ev.rig,
    windowStartUs: Number(p.windowStartUs),
    windowEndUs: Number(p.windowEndUs),
    modelVersion: p.modelVersion,
    source: 'edge',
    firstSeq: Number(p.firstSeq),
    lastSeq: Number(p.lastSeq),
    heads: (p.heads ?? []).map(h => ({
      target: h.target ?? '',
      classIndex: h.classIndex ?? 0,
      value: manifest.targets.find(t => t.name === h.target)?.values[h.classIndex ?? 0] ?? Number.NaN,
      label: h.label ?? '',
      probs: [...(h.probs ?? [])]
    })),
    producedUs: Number(p.producedUs)
  }
}
