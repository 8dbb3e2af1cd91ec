// What flows through the cloud inference worker (docs/worker.md): frames in, cycle windows,
// micro-batches, predictions out.
import type { CycleWindow } from '../types.js'

/** Where a frame came from, for offset commits: a Kafka partition and offset (absent when fed in-process). */
export interface FramePosition { topic: string, partition: number, offset: bigint }

/** One complete cycle window of one rig, ready for the model. */
export interface ClosedWindow {
  tenant: string
  rig: string
  /** first sample of the window (start of its first frame), µs since epoch */
  windowStartUs: number
  /** end of the window (exclusive), µs */
  windowEndUs: number
  /** load cycle number the frames carried (0 = unknown: aligned by time) */
  cycle: number
  firstSeq: number
  lastSeq: number
  window: CycleWindow
  /** performance.now() when the last frame arrived and the window closed */
  closedAtMs: number
  /** the hold this window keeps on its partition's commit offset (Kafka only) */
  hold: Hold | null
}

/** A claim on a partition's commit offset, released once the window's result is durable (or it is dropped). */
export interface Hold { release (): void }

/** One head of a stored prediction (the protobuf HeadResult plus the class value). */
export interface StoredHead { target: string, classIndex: number, value: number, label: string, probs: number[] }

export type PredictionSourceName = 'edge' | 'cloud'

export interface PredictionRow {
  tenant: string
  rig: string
  windowStartUs: number
  windowEndUs: number
  modelVersion: string
  source: PredictionSourceName
  firstSeq: number
  lastSeq: number
  heads: StoredHead[]
  producedUs: number
}

export interface AlertRow {
  /** deterministic: the same condition raised again (redelivery) has the same id */
  id: string
  tenant: string
  rig: string
  timeUs: number
  severity: 'INFO' | 'WARNING' | 'CRITICAL'
  component: string
  rule: string
  message: string
  source: PredictionSourceName
}
