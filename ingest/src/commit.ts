// What happens to one closed batch: PostgreSQL commit, then Kafka, then PUBACK of every message
// in it, in arrival order. Nothing is acknowledged before it is durable everywhere it must be.
// Several batches may be written at once (the batcher's concurrency): each one's PostgreSQL
// transaction runs as soon as it is handed over, but the rest (Kafka, live push, dedup cache,
// counters, PUBACKs) waits for the batch before it to complete, so Kafka gets each rig's frames
// in order and PUBACKs leave in the order the PUBLISHes came [MQTT-4.6.0-2]. Two transactions holding the same key resolve in the database: the second's
// key insert waits on the first's unique-index entry and, once that commits, finds it a duplicate.
import type { LiveBus } from '../../common/src/live.js'
import type { Logger } from '../../common/src/logger.js'
import { KAFKA_TOPICS } from '../../schemas/src/index.js'
import type { KafkaSink } from './sinks/kafka.js'
import { FRAME_SCHEMA } from './sinks/kafka-records.js'
import type { FrameWriter } from './store/writer.js'
import type { AcceptedFrame } from './validate.js'
import { deadLetterKey, encodeDeadLetter, type DeadLetterRecord } from './dead-letter.js'
import { DedupCache } from './dedup-cache.js'
import type { AckToken } from './subscription.js'
import { retryUntilDone } from './retry.js'

/** One received message, already validated. */
export type Inbound =
  | { kind: 'frame', frame: AcceptedFrame, ack: AckToken | null, size: number }
  | { kind: 'dead', record: DeadLetterRecord, ack: AckToken | null, size: number }

export interface CommitStats {
  stored: number
  duplicatesDropped: number
  deadLetters: number
  deadLettersByReason: Record<string, number>
  batches: number
  staleAcks: number
}

export interface CommitterDeps {
  writer: FrameWriter
  kafka: KafkaSink | null
  bus?: LiveBus
  dedup: DedupCache
  ack: (tokens: Array<AckToken | null>) => number
  stats: CommitStats
  log: Logger
  /** aborted when close() gives up draining: the batch is then left unacknowledged */
  signal: AbortSignal
}

export function createCommitter (d: CommitterDeps): (items: Inbound[]) => Promise<void> {
  const { stats, log } = d
  // completion of the batch handed over last: the next one completes after it, even if it fails
  let tail: Promise<void> = Promise.resolve()
  return async function commit (items) {
    const before = tail
    let completed!: () => void
    tail = new Promise<void>(resolve => { completed = resolve })
    try {
      await durable(items, before)
    } finally {
      completed()
    }
  }

  async function durable (items: Inbound[], before: Promise<void>): Promise<void> {
    // 1. sort out what needs writing: duplicates already durable here, and repeats inside the batch
    const frames: AcceptedFrame[] = []
    const dead: DeadLetterRecord[] = []
    const inBatch = new Set<string>()
    let dropped = 0
    for (const it of items) {
      if (it.kind === 'dead') { dead.push(it.record); continue }
      const key = DedupCache.key(it.frame.tenant, it.frame.rig, it.frame.seq)
      if (d.dedup.has(key) || inBatch.has(key)) { dropped++; continue }
      inBatch.add(key)
      frames.push(it.frame)
    }

    // 2. PostgreSQL: one transaction, retried until it commits
    const written = await retryUntilDone(() => d.writer.write({ frames, deadLetters: dead }), { signal: d.signal, log, what: 'postgres' })
    dropped += written.duplicates.length

    // 3. The batch before this one completes first (it may still be writing): Kafka receives
    // each rig's frames in seq order, and PUBACKs leave in arrival order
    await before

    // 4. Kafka: the new frames AND the ones the database already had (a previous run may have
    // committed them and died before Kafka acknowledged; consumers dedup by key), dead letters
    if (d.kafka) {
      const kafka = d.kafka
      const toKafka = written.duplicates.length === 0 ? written.stored : written.stored.concat(written.duplicates)
      const sends: Array<Promise<void>> = []
      if (toKafka.length > 0) {
        const records = toKafka.map(f => ({ tenant: f.tenant, rig: f.rig, seq: f.seq, bytes: f.bytes, schema: FRAME_SCHEMA }))
        sends.push(retryUntilDone(() => kafka.sendFrames(records), { signal: d.signal, log, what: KAFKA_TOPICS.frames }))
      }
      if (dead.length > 0) {
        const records = dead.map(x => ({ key: deadLetterKey(x), bytes: encodeDeadLetter(x), reason: x.reason }))
        sends.push(retryUntilDone(() => kafka.sendDeadLetters(records), { signal: d.signal, log, what: KAFKA_TOPICS.deadletter }))
      }
      await Promise.all(sends)
    }

    // 5. durable everywhere: live push of what is new, then remember, count, acknowledge in arrival order
    if (d.bus) {
      for (const f of written.stored) d.bus.emit('frames', { tenant: f.tenant, rig: f.rig, seq: f.seq, batch: f.batch })
    }
    for (const f of written.stored) d.dedup.add(DedupCache.key(f.tenant, f.rig, f.seq))
    for (const f of written.duplicates) d.dedup.add(DedupCache.key(f.tenant, f.rig, f.seq))
    stats.stored += written.stored.length
    stats.duplicatesDropped += dropped
    stats.deadLetters += dead.length
    for (const x of dead) stats.deadLettersByReason[x.reason] = (stats.deadLettersByReason[x.reason] ?? 0) + 1
    stats.batches++
    const stale = d.ack(items.map(it => it.ack))
    stats.staleAcks += stale
    if (stale > 0) log.info({ stale }, 'connection changed while the batch was written; the broker redelivers those frames and dedup drops them')
    if (dead.length > 0) log.warn({ deadLetters: dead.length, reasons: [...new Set(dead.map(x => x.reason))] }, 'payloads dead-lettered')
  }
}
