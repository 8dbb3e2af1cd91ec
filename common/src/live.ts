import { EventEmitter } from 'node:events'
import type { FrameBatch, Prediction, Alert, RigState } from '../../schemas/src/index.js'

/** A frame batch that ingest has accepted and committed. */
export interface LiveFrame { tenant: string, rig: string, seq: number, batch: FrameBatch }
export interface LiveState { tenant: string, rig: string, state: RigState }
export interface LivePrediction { tenant: string, rig: string, prediction: Prediction }
export interface LiveAlert { tenant: string, rig: string, alert: Alert }

export interface LiveEvents {
  frames: [LiveFrame]
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
