// Ingest: MQTT frames → validate → batch → PostgreSQL (+ Kafka) → PUBACK. docs/storage.md.
import pg from 'pg'
import type { LiveBus } from '../../common/src/live.js'
import type { Logger } from '../../common/src/logger.js'
import { rsError } from '../../common/src/errors.js'
import type { KafkaSink } from './sinks/kafka.js'
import { Batcher } from './batcher.js'
import { createCommitter, type CommitStats, type Inbound } from './commit.js'
import { deadLetterFrom } from './dead-letter.js'
import { DedupCache } from './dedup-cache.js'
import { createPgFrameWriter } from './store/writer.js'
import type { RollupStats } from './store/rollups.js'
import { subscribeFrames, type FrameSubscription } from './subscription.js'
import { DEFAULT_LIMITS, validateFrame, type ValidationLimits } from './validate.js'

export interface IngestOptions {
  mqttUrl: string
  username: string
  password: string
  databaseUrl: string
  kafkaBrokers?: string[]
  bus?: LiveBus
  log: Logger
  /** subscribe through $share/{group}/... so several ingest instances split the frames (Mosquitto 2, EMQX) */
  sharedGroup?: string
  /** stable per instance: the broker keeps this session's unacknowledged frames while it is away */
  clientId?: string
  batchMaxFrames?: number
  batchMaxAgeMs?: number
  /** batches written at once, each in its own transaction on its own connection (default 2); completions, Kafka sends and PUBACKs stay in arrival order */
  writeConcurrency?: number
  maxPayloadBytes?: number
  clockSkewFutureMs?: number
  clockSkewPastMs?: number
  /** messages held (buffered + being written) before ingest stops reading; default 4 x batchMaxFrames */
  maxPendingFrames?: number
  /** payload bytes held before ingest stops reading; default 256 MiB */
  maxPendingBytes?: number
  /** how long close() tries to make what it holds durable before leaving it to the broker; default 15 s */
  drainTimeoutMs?: number
  /** MQTT keepalive in seconds; default 30 */
  mqttKeepaliveSeconds?: number
  /** plain storage path: rollups folded every this many ms after the commit (default 10,000); 0 = inside each batch's transaction */
  rollupFlushMs?: number
}

export interface IngestStats {
  received: number
  stored: number
  duplicatesDropped: number
  deadLetters: number
  deadLettersByReason: Record<string, number>
  kafkaProduced: number | null
  batches: number
  /** messages received and not yet acknowledged (or settled, for QoS 0) */
  pendingAcks: number
  /** plain path with deferred rollups: the folder's counters; null otherwise */
  rollups: RollupStats | null
}

export interface Ingest {
  stats (): IngestStats
  /** drain: commit what is held, acknowledge it, disconnect */
  close (): Promise<void>
}

export async function startIngest (o: IngestOptions): Promise<Ingest> {
  const log = o.log
  const limits: ValidationLimits = {
    maxPayloadBytes: o.maxPayloadBytes ?? DEFAULT_LIMITS.maxPayloadBytes,
    clockSkewFutureMs: o.clockSkewFutureMs ?? DEFAULT_LIMITS.clockSkewFutureMs,
    clockSkewPastMs: o.clockSkewPastMs ?? DEFAULT_LIMITS.clockSkewPastMs
  }
  const batchMaxFrames = o.batchMaxFrames ?? 500
  const batchMaxAgeMs = o.batchMaxAgeMs ?? 50
  if (!(batchMaxFrames >= 1 && batchMaxAgeMs >= 1)) throw rsError('RS_ERR_CONFIG', 'batchMaxFrames and batchMaxAgeMs must be >= 1')
  const writeConcurrency = o.writeConcurrency ?? 2
  if (!(Number.isInteger(writeConcurrency) && writeConcurrency >= 1 && writeConcurrency <= 8)) throw rsError('RS_ERR_CONFIG', `writeConcurrency must be an integer in [1, 8], got ${writeConcurrency}`)
  const closers: Array<() => Promise<void>> = []
  const closeAll = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c().catch(err => log.warn({ err }, 'error while closing ingest'))
  }

  try {
    // one connection per batch in flight, and one for the deferred rollup flush
    const pool = new pg.Pool({ connectionString: o.databaseUrl, max: writeConcurrency + 1 })
    // idle clients that lose their server emit here; without a listener the process would crash
    pool.on('error', err => log.warn({ err }, 'idle PostgreSQL connection lost'))
    // A CHECKED-OUT client whose server goes away (restart, failover) rejects its query AND emits
    // 'error' on itself (pg Client._handleErrorEvent); pg-pool listens only while it is idle, so
    // without this the emit is an uncaught exception that kills ingest mid-batch (found by
    // tests/faults/ingest-pg-restart.test.ts). The rejected query is what the writer handles.
    pool.on('connect', client => {
      client.on('error', err => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'PostgreSQL connection lost during a write; the batch is retried'))
    })
    closers.push(() => pool.end())

    let kafka: KafkaSink | null = null
    if (o.kafkaBrokers && o.kafkaBrokers.length > 0) {
      const { createKafkaSink } = await import('./sinks/kafka.js')
      const sink = createKafkaSink({ brokers: o.kafkaBrokers, clientId: o.clientId ?? 'rs-ingest', log: log.child({ sink: 'kafka' }) })
      await sink.connect()
      closers.push(() => sink.close())
      kafka = sink
    } else {
      log.info('Kafka disabled: no brokers configured (set KAFKA_BROKERS); frames go to PostgreSQL only')
    }

    const rollupFlushMs = o.rollupFlushMs ?? 10_000
    const writer = createPgFrameWriter(pool, rollupFlushMs > 0 ? { rollups: 'deferred', rollupOptions: { flushMs: rollupFlushMs }, log } : { rollups: 'inline' })
    closers.push(async () => await writer.close?.())
    const stats: CommitStats = { stored: 0, duplicatesDropped: 0, deadLetters: 0, deadLettersByReason: {}, batches: 0, staleAcks: 0 }
    let received = 0
    const abort = new AbortController()
    let sub: FrameSubscription | null = null
    const commit = createCommitter({
      writer,
      kafka,
      bus: o.bus,
      dedup: new DedupCache(Math.max(10_000, batchMaxFrames * 20)),
      ack: tokens => sub ? sub.ack(tokens) : tokens.length,
      stats,
      log,
      signal: abort.signal
    })
    const batcher = new Batcher<Inbound>({
      maxItems: batchMaxFrames,
      maxAgeMs: batchMaxAgeMs,
      capacity: o.maxPendingFrames ?? batchMaxFrames * 4,
      maxBytes: o.maxPendingBytes ?? 256 * 1024 * 1024,
      concurrency: writeConcurrency,
      sizeOf: it => it.size,
      flush: commit,
      onRoom: () => sub?.resume(),
      onError: (err, n) => log.warn({ err, messages: n }, 'batch abandoned unacknowledged; the broker will redeliver it')
    })

    // newest seq announced per rig on the bus's 'frameAccepted' (live view ahead of the commit)
    const announced = new Map<string, number>()
    const bus = o.bus
    const onMessage = (topic: string, payload: Buffer, ack: Inbound['ack']): void => {
      received++
      const nowUs = Date.now() * 1000
      const v = validateFrame(topic, payload, nowUs, limits)
      if (v.ok) {
        const f = v.frame
        batcher.add({ kind: 'frame', frame: f, ack, size: payload.byteLength })
        if (bus && bus.listenerCount('frameAccepted') > 0) {
          const key = f.tenant + '/' + f.rig
          const last = announced.get(key)
          if (last === undefined || f.seq > last) {
            announced.set(key, f.seq)
            try { bus.emit('frameAccepted', { tenant: f.tenant, rig: f.rig, seq: f.seq, batch: f.batch }) } catch (err) { log.warn({ err }, 'frameAccepted listener failed') }
          }
        }
      } else {
        const record = deadLetterFrom(v.rejection, topic, payload, nowUs)
        batcher.add({ kind: 'dead', record, ack, size: record.payload.byteLength })
      }
    }

    sub = await subscribeFrames({
      mqttUrl: o.mqttUrl,
      username: o.username,
      password: o.password,
      clientId: o.clientId ?? 'rs-ingest',
      sharedGroup: o.sharedGroup,
      keepaliveSeconds: o.mqttKeepaliveSeconds,
      onSubscription: s => { sub = s },
      log,
      onMessage,
      hasRoom: () => batcher.hasRoom()
    })
    const subscription = sub
    log.info({ batchMaxFrames, batchMaxAgeMs, writeConcurrency, kafka: kafka !== null, sharedGroup: o.sharedGroup ?? null }, 'ingest started')

    let closing: Promise<void> | null = null
    return {
      stats: () => ({
        received,
        stored: stats.stored,
        duplicatesDropped: stats.duplicatesDropped,
        deadLetters: stats.deadLetters,
        deadLettersByReason: { ...stats.deadLettersByReason },
        kafkaProduced: kafka ? kafka.produced : null,
        batches: stats.batches,
        pendingAcks: batcher.held,
        rollups: writer.rollupStats?.() ?? null
      }),
      close () {
        closing ??= (async () => {
          subscription.pause() // no new messages: what the broker still has stays there
          const timer = setTimeout(() => abort.abort(rsError('RS_ERR_DB_UNAVAILABLE', 'close: drain timed out')), o.drainTimeoutMs ?? 15_000)
          try {
            await batcher.drain()
          } finally {
            clearTimeout(timer)
          }
          await subscription.end()
          await closeAll()
          log.info({ stored: stats.stored, duplicatesDropped: stats.duplicatesDropped, deadLetters: stats.deadLetters }, 'ingest stopped')
        })()
        return closing
      }
    }
  } catch (err) {
    await closeAll()
    throw err
  }
}
