// The KafkaSink on top of a driver: one send at a time in call order (so a rig's frames stay in
// order across calls and idempotent sequence numbers never race), every send bounded by a
// deadline counted from the call, and a fresh producer session after any failure.
//
// Why a fresh session: an idempotent producer numbers its records per partition. When a send
// fails, Kafka may still have written it (the acknowledgement was lost). Ingest then sends the
// frames again, possibly batched differently; with the old numbering the broker would answer
// OUT_OF_ORDER_SEQUENCE forever. A new session (new producer id) cannot collide: the worst case
// is a duplicate record, which consumers drop by (tenant, rig, seq) (DESIGN.md: at-least-once).
import { RigstreamError, rsError } from '../../../common/src/errors.js'
import type { Logger } from '../../../common/src/logger.js'
import { KAFKA_TOPICS } from '../../../schemas/src/topics.js'
import type { DriverOptions, DriverProducer, KafkaClientName, KafkaDriver, OutRecord, TopicSpec } from './kafka-driver.js'
import { chunkByBytes, deadLetterRecord, frameRecord, predictionRecord } from './kafka-records.js'
import type { KafkaSink } from './kafka.js'

export interface ProducerSinkConfig {
  client: KafkaClientName
  driver: DriverOptions
  partitions: number
  replicationFactor: number
  sendTimeoutMs: number
  connectTimeoutMs: number
  maxRequestBytes: number
  log: Logger
}

// Topics we create accept records up to 8 MiB (ingest takes payloads up to 4 MiB; Kafka's
// default of 1 MiB would reject a large valid frame for ever).
const TOPIC_CONFIGS: Record<string, string> = { 'max.message.bytes': String(8 * 1024 * 1024) }

export function createProducerSink (cfg: ProducerSinkConfig): KafkaSink {
  const log = cfg.log
  let driver: KafkaDriver | null = null
  let session: Promise<DriverProducer> | null = null
  let tail: Promise<unknown> = Promise.resolve()
  let closed = false
  const closing = new Set<Promise<unknown>>()
  let produced = 0
  let deadLettersProduced = 0
  let predictionsProduced = 0

  async function loadDriver (): Promise<KafkaDriver> {
    if (cfg.client === 'kafkajs') return (await import('./kafka-kafkajs.js')).createKafkajsDriver(cfg.driver)
    return (await import('./kafka-platformatic.js')).createPlatformaticDriver(cfg.driver)
  }

  function producer (): Promise<DriverProducer> {
    if (!driver) return Promise.reject(rsError('RS_ERR_KAFKA_UNAVAILABLE', 'the Kafka sink is not connected (call connect() first)'))
    if (!session) {
      const s = driver.openProducer()
      session = s
      s.catch(() => { if (session === s) session = null })
    }
    return session
  }

  /** Drops the current session; its close runs in the background (bounded) and close() awaits it. */
  function discardSession (): void {
    const s = session
    session = null
    if (!s) return
    const c = s.then(p => bounded(p.close(), 5000, 'closing a failed producer')).catch(() => {})
    closing.add(c)
    void c.finally(() => closing.delete(c))
  }

  async function sendNow (topic: string, records: OutRecord[], deadline: number): Promise<void> {
    try {
      const p = await bounded(producer(), deadline - Date.now(), 'opening a producer session')
      for (const chunk of chunkByBytes(records, cfg.maxRequestBytes)) {
        await bounded(p.send(topic, chunk), deadline - Date.now(), `acknowledgement of ${chunk.length} records`)
      }
    } catch (err) {
      discardSession()
      throw unavailable(err)
    }
  }

  function enqueue (topic: string, records: OutRecord[], onAck: () => void): Promise<void> {
    if (closed) return Promise.reject(rsError('RS_ERR_KAFKA_UNAVAILABLE', 'the Kafka sink is closed'))
    if (records.length === 0) return Promise.resolve()
    const deadline = Date.now() + cfg.sendTimeoutMs
    const run = async (): Promise<void> => {
      if (Date.now() >= deadline) throw rsError('RS_ERR_KAFKA_UNAVAILABLE', `no acknowledgement within ${cfg.sendTimeoutMs} ms (waited behind earlier sends)`)
      await sendNow(topic, records, deadline)
      onAck()
    }
    const p = tail.then(run, run)
    tail = p.catch(() => {})
    return p
  }

  return {
    client: cfg.client,
    get produced () { return produced },
    get deadLettersProduced () { return deadLettersProduced },
    get predictionsProduced () { return predictionsProduced },

    async connect () {
      if (closed) throw rsError('RS_ERR_KAFKA_UNAVAILABLE', 'the Kafka sink is closed')
      if (driver) return
      const started = Date.now()
      const d = await loadDriver()
      try {
        const specs: TopicSpec[] = [KAFKA_TOPICS.frames, KAFKA_TOPICS.predictions, KAFKA_TOPICS.deadletter]
          .map(topic => ({ topic, partitions: cfg.partitions, replicationFactor: cfg.replicationFactor, configs: TOPIC_CONFIGS }))
        const counts = await bounded(d.ensureTopics(specs), cfg.connectTimeoutMs, 'topic metadata')
        driver = d
        await bounded(producer(), cfg.connectTimeoutMs - (Date.now() - started), 'producer initialisation')
        log.info({ client: cfg.client, compression: cfg.driver.compression, brokers: cfg.driver.brokers, partitions: Object.fromEntries(counts), ms: Date.now() - started }, 'Kafka sink connected')
      } catch (err) {
        driver = null
        session = null
        await bounded(d.close(), 5000, 'closing').catch(() => {})
        throw unavailable(err)
      }
    },

    sendFrames (records) {
      return enqueue(KAFKA_TOPICS.frames, records.map(frameRecord), () => { produced += records.length })
    },

    sendDeadLetters (records) {
      return enqueue(KAFKA_TOPICS.deadletter, records.map(deadLetterRecord), () => { deadLettersProduced += records.length })
    },

    sendPredictions (records) {
      return enqueue(KAFKA_TOPICS.predictions, records.map(predictionRecord), () => { predictionsProduced += records.length })
    },

    async close () {
      if (closed) return
      closed = true
      await bounded(tail, cfg.sendTimeoutMs + 1000, 'sends in progress').catch(() => {})
      const s = session
      session = null
      if (s) await s.then(p => bounded(p.close(), 5000, 'closing the producer')).catch(err => log.warn({ err }, 'Kafka producer did not close cleanly'))
      await Promise.all([...closing])
      if (driver) await bounded(driver.close(), 5000, 'closing the admin client').catch(err => log.warn({ err }, 'Kafka admin client did not close cleanly'))
      driver = null
    }
  }
}

/** `p`, or a RS_ERR_KAFKA_UNAVAILABLE rejection after `ms` (p's own outcome is then ignored). */
function bounded<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) {
    p.catch(() => {})
    return Promise.reject(rsError('RS_ERR_KAFKA_UNAVAILABLE', `no time left for ${what}`))
  }
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(rsError('RS_ERR_KAFKA_UNAVAILABLE', `timed out after ${Math.round(ms)} ms waiting for ${what}`)), ms)
    p.then(v => { clearTimeout(t); resolve(v) }, err => { clearTimeout(t); reject(err) })
  })
}

/** Any client failure as the one retriable code ingest understands; the client's words kept in the detail and cause. */
export function unavailable (err: unknown): RigstreamError {
  if (err instanceof RigstreamError) return err
  return rsError('RS_ERR_KAFKA_UNAVAILABLE', describe(err), err)
}

function describe (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const parts = [err.message]
  // both clients wrap the broker's answer: AggregateError.errors (platformatic), .cause (kafkajs)
  let inner: unknown = (err as { errors?: unknown[] }).errors?.[0] ?? err.cause
  for (let depth = 0; inner instanceof Error && depth < 4; depth++) {
    if (!parts.includes(inner.message)) parts.push(inner.message)
    inner = (inner as { errors?: unknown[] }).errors?.[0] ?? inner.cause
  }
  return parts.join(': ')
}
