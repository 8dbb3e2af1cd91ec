// The Kafka feed: a consumer group on rs.frames.v1 (@platformatic/kafka, as ingest's producer).
//
// - Offsets are committed by hand (autocommit off), only behind durable results: OffsetTracker
//   (offsets.ts) holds each partition at the first frame of every window still open or in flight.
//   A worker that dies re-reads from there; the predictions table's key makes the repeat a no-op.
// - Heartbeats: @platformatic/kafka sends them from its own timer, so they only need the event
//   loop to be free now and then. A batch does block it: feature extraction is synchronous, and
//   onnxruntime-node's session.run runs on the JavaScript thread too (its async run() is a
//   setImmediate around the native call). Measured (bench/worker.ts, docs/benchmarks.md): about
//   50 ms for a full batch of 1024 windows on this CPU, against a 1 s heartbeat interval and a
//   10 s session timeout, so no worker thread is needed; batches are bounded by maxBatch (4096 at
//   most). Backpressure pauses the stream (no fetches) rather than blocking, which keeps the
//   membership alive as well.
// - Broker gone: when the client ends the stream (a fetch failed through its retries) a new
//   consumer starts from the committed offsets, with backoff (reopen(), below).
// - Rebalance: on every join the worker forgets the rigs and holds of partitions it lost; their
//   new owner starts from the committed offsets. Messages already buffered for a lost partition
//   are skipped.
import { Consumer, stringDeserializer, type Message } from '@platformatic/kafka'
import type { Logger } from '../../../common/src/logger.js'
import { KAFKA_TOPICS } from '../../../schemas/src/index.js'
import { createKafkaSink, type KafkaSink } from '../../../ingest/src/sinks/kafka.js'
import { OffsetTracker } from './offsets.js'
import { FrameReader } from './frame-reader.js'
import type { FrameLike } from './assembler.js'
import { WorkerCore, type WorkerCoreOptions, type WorkerStats } from './worker.js'

export interface KafkaWorkerOptions extends Omit<WorkerCoreOptions, 'sink'> {
  brokers: string[]
  /** consumer group (default 'rigstream-inference') */
  groupId?: string
  clientId?: string
  /** how often held-back offsets are committed, ms (default 1000) */
  commitIntervalMs?: number
  /** pause fetching above this many windows waiting or in flight (default 4 x maxBatch) */
  maxPending?: number
  /** open windows that wait longer than this for their next frame are dropped (default 300 s) */
  staleMs?: number
  sessionTimeoutMs?: number
  heartbeatIntervalMs?: number
  /** produce predictions to rs.predictions.v1 (default true) */
  producePredictions?: boolean
}

export interface KafkaWorkerStats extends WorkerStats {
  framesRead: number
  framesUndecodable: number
  commits: number
  commitErrors: number
  paused: boolean
  held: number
  /** consumer group generation of the last join, and the partitions of rs.frames.v1 owned since */
  generation: number
  partitions: number[]
  /** records skipped because they were fetched before their partition was (re)assigned to this member */
  staleSkipped: number
  /** errors of the consumer stream; whether it is closed now (a new one is being started); new consumers started after it closed */
  streamErrors: number
  streamClosed: boolean
  streamRestarts: number
}

export interface KafkaWorker {
  readonly provider: string
  stats (): KafkaWorkerStats
  /** commits what is durable now (also done every commitIntervalMs) */
  commit (): Promise<void>
  close (): Promise<void>
}

type Msg = Message<string, Buffer, string, string>

export async function startKafkaWorker (o: KafkaWorkerOptions): Promise<KafkaWorker> {
  const log = o.log
  const topic = KAFKA_TOPICS.frames
  let sink: KafkaSink | null = null
  if (o.producePredictions !== false) {
    sink = createKafkaSink({ brokers: o.brokers, log: log.child({ part: 'predictions-producer' }), clientId: `${o.clientId ?? 'rigstream-worker'}-producer` })
    await sink.connect() // creates rs.frames.v1 / rs.predictions.v1 when missing
  }
  const tracker = new OffsetTracker()
  const rigPartition = new Map<string, number>()
  let commitSoon: NodeJS.Timeout | null = null
  const core = await WorkerCore.create({
    ...o,
    sink,
    onDurable: (w, at) => {
      o.onDurable?.(w, at)
      if (!commitSoon) commitSoon = setTimeout(() => { commitSoon = null; void commit() }, 50)
      // `pending` still counts this batch (it leaves the pipeline after this call): without it, a
      // maxPending below 2 would never resume
      if (paused && core.pipeline.pending - w.length <= maxPending / 2) { paused = false; stream.resume() }
    }
  })
  const reader = new FrameReader(core.runtime.manifest.channels)
  const maxBatch = o.maxBatch ?? 256
  const maxPending = o.maxPending ?? 4 * maxBatch
  const s = { framesRead: 0, framesUndecodable: 0, commits: 0, commitErrors: 0, staleSkipped: 0, streamErrors: 0, streamRestarts: 0 }
  let streamClosed = false
  let generation = -1
  // generation at which each owned partition was (last) assigned to this member
  const assignedAt = new Map<number, number>()
  let paused = false
  let closing = false

  const newConsumer = (): Consumer<string, Buffer, string, string> => {
    const c = new Consumer<string, Buffer, string, string>({
      clientId: o.clientId ?? 'rigstream-worker',
      groupId: o.groupId ?? 'rigstream-inference',
      bootstrapBrokers: o.brokers,
      autocommit: false,
      sessionTimeout: o.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 200,
      retries: 5,
      retryDelay: 300,
      deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer }
    })
    c.on('consumer:group:join', onJoin)
    return c
  }

  const owned = (t: string, p: number): boolean => consumer.assignments?.some(a => a.topic === t && a.partitions.includes(p)) ?? false
  const ownedPartitions = (): number[] => [...(consumer.assignments?.find(a => a.topic === topic)?.partitions ?? [])].sort((a, b) => a - b)
  function onJoin (payload: { memberId?: string, generationId?: number, assignments?: Array<{ topic: string, partitions: number[] }> }): void {
    const parts = (payload.assignments ?? []).flatMap(a => a.partitions.map(p => `${a.topic}:${p}`))
    log.info({ memberId: payload.memberId, generationId: payload.generationId, partitions: parts }, 'inference worker joined the group')
    generation = payload.generationId ?? generation
    const now = new Set(ownedPartitions())
    for (const p of [...assignedAt.keys()]) if (!now.has(p)) assignedAt.delete(p)
    for (const p of now) if (!assignedAt.has(p)) assignedAt.set(p, generation)
    tracker.retain(owned)
    const keep = (tenant: string, rig: string): boolean => {
      const p = rigPartition.get(`${tenant}/${rig}`)
      return p !== undefined && owned(topic, p)
    }
    core.assembler.forget(keep)
    core.pipeline.forget(keep)
  }
  let consumer = newConsumer()

  async function commit (): Promise<void> {
    if (closing && !consumer.isActive()) return
    const offsets = tracker.committable().filter(x => owned(x.topic, x.partition))
    if (offsets.length === 0) return
    try {
      await consumer.commit({ offsets: offsets.map(x => ({ ...x, leaderEpoch: -1 })) })
      for (const x of offsets) tracker.markCommitted(x.topic, x.partition, x.offset)
      s.commits++
    } catch (err) {
      s.commitErrors++
      log.warn({ err: (err as Error).message }, 'offset commit failed; retrying at the next interval')
    }
  }

  const onMessage = (m: Msg): void => {
    if (!owned(m.topic, m.partition)) return // buffered before a rebalance took the partition away
    // Fetched in an earlier ownership of this partition (buffered while paused, before a rebalance
    // took it away and another gave it back): its rigs were forgotten, and the stream re-reads the
    // partition from the committed offset. Handled now, such a record would rebuild the rigs from
    // the middle of the stream and make the re-read frames look like duplicates (a lost window).
    const fetchedIn = (m.metadata as { consumer?: { generationId?: number } } | undefined)?.consumer?.generationId
    if (fetchedIn !== undefined && fetchedIn < (assignedAt.get(m.partition) ?? 0)) { s.staleSkipped++; return }
    s.framesRead++
    tracker.seen(m.topic, m.partition, m.offset)
    let batch: FrameLike
    try {
      batch = reader.read(m.value)
    } catch (err) {
      // ingest validated it before producing; a foreign producer's bytes are skipped, counted
      s.framesUndecodable++
      if (Math.log10(s.framesUndecodable) % 1 === 0) log.warn({ partition: m.partition, offset: String(m.offset), count: s.framesUndecodable, code: 'RS_ERR_DECODE' }, 'undecodable frame on rs.frames.v1 skipped')
      return
    }
    rigPartition.set(`${batch.tenant}/${batch.rig}`, m.partition)
    try {
      core.add(batch, () => tracker.hold(m.topic, m.partition, m.offset))
    } catch (err) {
      log.error({ err, tenant: batch.tenant, rig: batch.rig }, 'frame skipped by the worker')
    }
    if (!paused && core.pipeline.pending >= maxPending) { paused = true; stream.pause() }
  }

  /** The consumer's message stream, with this worker's handlers. */
  async function openStream (): Promise<Awaited<ReturnType<typeof consumer.consume>>> {
    const st = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false })
    st.on('data', onMessage)
    st.on('error', err => { s.streamErrors++; log.error({ err }, 'Kafka consumer stream error') })
    // the client ends the stream on some errors (a fetch that failed through all its retries, e.g.
    // the broker down for longer than ~2 s): the worker then starts a new consumer and stream
    st.on('close', () => {
      if (closing || st !== stream) return
      streamClosed = true
      log.error('Kafka consumer stream closed while the worker runs: starting a new consumer (from the committed offsets)')
      reopening ??= reopen().finally(() => { reopening = null })
    })
    return st
  }

  /**
   * A new consumer and stream after the old stream ended, retried with backoff until the broker
   * answers. Everything read and not yet durable is forgotten, as for partitions lost in a
   * rebalance: the new stream reads again from the committed offsets (which never passed a window
   * that was not stored), and a window stored twice is one row (the predictions table's key).
   * Batches in flight finish and are stored as usual.
   */
  async function reopen (): Promise<void> {
    await closeConsumer(consumer)
    tracker.retain(() => false)
    assignedAt.clear()
    rigPartition.clear()
    core.assembler.forget(() => false)
    core.pipeline.forget(() => false)
    for (let attempt = 0; !closing; attempt++) {
      await new Promise<void>(resolve => { const t = setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)); wake = () => { clearTimeout(t); resolve() } })
      wake = null
      if (closing) return
      consumer = newConsumer()
      try {
        paused = false
        stream = await openStream()
        streamClosed = false
        s.streamRestarts++
        log.info({ attempt: attempt + 1 }, 'Kafka consumer started again')
        return
      } catch (err) {
        log.warn({ err: (err as Error).message, attempt: attempt + 1 }, 'Kafka consumer could not start again; retrying')
        await closeConsumer(consumer)
      }
    }
  }

  /** Leaves the group without waiting on a broker that is gone (at most 5 s). */
  async function closeConsumer (c: typeof consumer): Promise<void> {
    await bounded(new Promise<void>(resolve => c.close(true, () => resolve())), 5000)
  }

  let reopening: Promise<void> | null = null
  let wake: (() => void) | null = null // ends reopen's backoff wait (at close)
  let stream = await openStream()
  const timer = setInterval(() => { void commit() }, o.commitIntervalMs ?? 1000)
  const staleMs = o.staleMs ?? 300_000
  const sweep = setInterval(() => core.assembler.evictStale(staleMs), Math.min(staleMs, 60_000))
  log.info({ provider: core.provider, feed: 'kafka', topic, groupId: o.groupId ?? 'rigstream-inference' }, 'inference worker started')

  return {
    provider: core.provider,
    stats: () => ({ ...core.stats(), ...s, paused, held: tracker.held(), generation, partitions: ownedPartitions(), streamClosed }),
    commit,
    async close () {
      closing = true
      clearInterval(timer)
      clearInterval(sweep)
      if (commitSoon) clearTimeout(commitSoon)
      wake?.()
      await reopening
      stream.off('data', onMessage)
      await core.pipeline.drain()
      await commit()
      await stream.close().catch(err => log.warn({ err }, 'closing the consumer stream failed'))
      await new Promise<void>(resolve => consumer.close(true, err => { if (err) log.warn({ err }, 'closing the consumer failed'); resolve() }))
      await core.close()
      await sink?.close()
    }
  }
}

async function bounded (p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([p.catch(() => {}), new Promise(resolve => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}
