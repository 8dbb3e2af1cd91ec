import { EventEmitter } from 'node:events'
import type { FrameBatch, Prediction, Alert, RigState } from '../../schemas/src/index.js'

/** A frame batch that ingest has accepted and committed. */
export interface LiveFrame { tenant: string, rig: string, seq: number, batch: FrameBatch }
export interface LiveState { tenant: string, rig: string, state: RigState }
export interface LivePrediction { tenant: string, rig: string, prediction: Prediction }
export interface LiveAlert { tenant: string, rig: string, alert: Alert }

export interface LiveEvents {
  /** committed: in the database (and Kafka when enabled); what the in-process worker reads */
  frames: [LiveFrame]
  /**
   * accepted: validated by ingest and not yet committed, newest seq per rig only (a redelivered or
   * older frame is not announced again). The embedded dashboard's live push reads these: the
   * commit is still ahead, and ingest acknowledges the device only after it.
   */
  frameAccepted: [LiveFrame]
  state: [LiveState]
  prediction: [LivePrediction]
  alert: [LiveAlert]
}

/**
 * In-process fan-out from ingest / workers to cloud-api's WebSocket push. In the embedded
 * process ingest emits here directly; a standalone cloud-api fills it from MQTT or Kafka.
 */
export class LiveBus extends EventEmitter<LiveEvents> {
  constructor () {
    super()
    this.setMaxListeners(0)
  }
}
