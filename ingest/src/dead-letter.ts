// A payload ingest cannot accept, kept with its reason: always in the dead_letters table, and on
// Kafka rs.deadletter.v1 when Kafka is enabled (DESIGN.md: nothing is dropped silently).
import { DeadLetter, kafkaKey } from '../../schemas/src/index.js'
import type { ErrorCode } from '../../common/src/errors.js'
import type { Rejection } from './validate.js'

/** Bytes of the original payload kept with a dead letter; payloadSize records the full length. */
export const DEAD_LETTER_PAYLOAD_LIMIT = 64 * 1024
const DETAIL_LIMIT = 2000

export interface DeadLetterRecord {
  receivedUs: number
  reason: ErrorCode
  detail: string
  topic: string
  tenant: string | null
  rig: string | null
  seq: number | null
  /** a copy of at most DEAD_LETTER_PAYLOAD_LIMIT bytes, so a large original can be freed */
  payload: Buffer
  payloadSize: number
}

export function deadLetterFrom (r: Rejection, topic: string, payload: Uint8Array, receivedUs: number): DeadLetterRecord {
  const kept = Buffer.alloc(Math.min(payload.byteLength, DEAD_LETTER_PAYLOAD_LIMIT))
  kept.set(payload.subarray(0, kept.length))
  return {
    receivedUs,
    reason: r.code,
    detail: r.detail.length > DETAIL_LIMIT ? r.detail.slice(0, DETAIL_LIMIT) + '…' : r.detail,
    topic: topic.length > 1024 ? topic.slice(0, 1024) : topic,
    tenant: r.tenant,
    rig: r.rig,
    seq: r.seq,
    payload: kept,
    payloadSize: payload.byteLength
  }
}

/** rigstream.v1.DeadLetter bytes for Kafka. */
export function encodeDeadLetter (d: DeadLetterRecord): Uint8Array {
  return DeadLetter.encode({
    reason: d.reason,
    detail: d.detail,
    topic: d.topic,
    tenant: d.tenant ?? '',
    rig: d.rig ?? '',
    seq: d.seq ?? 0,
    receivedUs: d.receivedUs,
    payload: d.payload,
    payloadSize: d.payloadSize
  }).finish()
}

/** Kafka key: the rig when known (keeps a rig's dead letters in order), else the topic. */
export function deadLetterKey (d: DeadLetterRecord): string {
  return d.tenant !== null && d.rig !== null ? kafkaKey(d.tenant, d.rig) : d.topic
}
