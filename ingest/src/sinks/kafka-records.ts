// What the sink writes to Kafka, record by record (DESIGN.md, "Kafka"): the key keeps a rig on
// one partition and so in order; headers let consumers route and dedup without decoding.
import { kafkaKey } from '../../../schemas/src/topics.js'
import type { OutRecord } from './kafka-driver.js'

export const FRAME_SCHEMA = 'rigstream.v1.FrameBatch'
export const DEAD_LETTER_SCHEMA = 'rigstream.v1.DeadLetter'
export const PREDICTION_SCHEMA = 'rigstream.v1.Prediction'

export interface KafkaFrameRecord { tenant: string, rig: string, seq: number, bytes: Uint8Array, schema: string /* 'rigstream.v1.FrameBatch' */ }
export interface KafkaDeadLetterRecord { key: string, bytes: Uint8Array /* encoded rigstream.v1.DeadLetter */, reason: string }
export interface KafkaPredictionRecord { tenant: string, rig: string, bytes: Uint8Array /* encoded rigstream.v1.Prediction */, modelVersion?: string }

/** rs.frames.v1: key tenant/rig, value the FrameBatch bytes, headers tenant, rig, seq, schema. */
export function frameRecord (r: KafkaFrameRecord): OutRecord {
  return {
    key: kafkaKey(r.tenant, r.rig),
    value: r.bytes,
    headers: [['tenant', r.tenant], ['rig', r.rig], ['seq', String(r.seq)], ['schema', r.schema]]
  }
}

/** rs.deadletter.v1: key as given (the rig when known), value the DeadLetter bytes, headers reason, schema. */
export function deadLetterRecord (r: KafkaDeadLetterRecord): OutRecord {
  return { key: r.key, value: r.bytes, headers: [['reason', r.reason], ['schema', DEAD_LETTER_SCHEMA]] }
}

/** rs.predictions.v1: key tenant/rig, value the Prediction bytes, headers tenant, rig, schema[, model]. */
export function predictionRecord (r: KafkaPredictionRecord): OutRecord {
  const headers: Array<[string, string]> = [['tenant', r.tenant], ['rig', r.rig], ['schema', PREDICTION_SCHEMA]]
  if (r.modelVersion) headers.push(['model', r.modelVersion])
  return { key: kafkaKey(r.tenant, r.rig), value: r.bytes, headers }
}

/** Splits records into runs of at most `maxBytes` (a single larger record is a run of its own), order kept. */
export function chunkByBytes (records: OutRecord[], maxBytes: number): OutRecord[][] {
  const out: OutRecord[][] = []
  let run: OutRecord[] = []
  let bytes = 0
  for (const r of records) {
    const size = r.value.byteLength + r.key.length + 64
    if (run.length > 0 && bytes + size > maxBytes) { out.push(run); run = []; bytes = 0 }
    run.push(r)
    bytes += size
  }
  if (run.length > 0) out.push(run)
  return out
}
