// npm run bench -- worker-kafka [--quick] [--json] [--rigs N] [--cycles C] [--brokers host:port]
// How fast the cloud worker reads its Kafka feed, against a REAL Kafka broker (deploy/kafka, started
// here unless --brokers is given). A backlog of real UCI cycles, one FrameBatch record per rig and
// second as ingest produces them (rs.frames.v1, key tenant/rig, lz4, 6 partitions), is read from the
// start by, in this order, each in a new consumer group:
//  1. a bare @platformatic/kafka consumer with the worker's settings, counting records (the feed's
//     ceiling: no decoding, no model, no database);
//  2. the same consumer decoding every record with the worker's FrameReader;
//  2b. the bare consumer again with a stream buffer of 16,384 records (the client's default: 1,024);
//  3. a bare kafkajs consumer (eachBatch, counting), the other client, as a baseline;
//  4. the whole Kafka worker (`startKafkaWorker`: consumer, windows, micro-batches of 256, model on
//     CPU, predictions stored in PostgreSQL and produced to rs.predictions.v1, offsets committed),
//     timed from its start until every window's prediction is durable.
// One window = one rig's 60-frame cycle, so windows/s = records/s / 60. CPU of this process and of
// the broker JVM is read from /proc for each part. The last stdout line is one JSON object.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import kafkajs from 'kafkajs'
import { Consumer, stringDeserializer } from '@platformatic/kafka'
import { createRootLogger } from '../common/src/logger.js'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { KAFKA_TOPICS } from '../schemas/src/index.js'
import { createKafkaSink, FRAME_SCHEMA } from '../ingest/src/sinks/kafka.js'
import { registerKafkajsCodecs } from '../ingest/src/sinks/kafka-kafkajs-codecs.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { createUciReplay } from '../edge-agent/src/sources/index.js'
import { DEFAULT_MODEL_DIR } from '../inference/src/package.js'
import { loadModel } from '../inference/src/runtime.js'
import { FrameReader } from '../inference/src/worker/frame-reader.js'
import { createPredictionStore } from '../inference/src/worker/store.js'
import { startKafkaWorker } from '../inference/src/worker/kafka.js'
import { createKafkaProcess, type KafkaProcess } from '../tests/support/kafka.js'
import { processCpuSeconds } from './_stats.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    rigs: { type: 'string' },
    cycles: { type: 'string' },
    brokers: { type: 'string' }
  }
})
const quick = args.quick === true
const RIGS = Number(args.rigs ?? 1000)
const CYCLES = Number(args.cycles ?? (quick ? 2 : 10))
const T0 = 1_795_000_000_000_000
const TENANT = 'bench'
const topic = KAFKA_TOPICS.frames
const say = (s: string): void => { process.stderr.write(s + '\n') }
const log = createRootLogger({ level: 'warn' })
const r1 = (v: number): number => Math.round(v * 10) / 10

let broker: KafkaProcess | null = null
let brokers = args.brokers ?? ''
if (!brokers) {
  broker = await createKafkaProcess()
  await broker.start()
  brokers = broker.brokers
  say(`# broker ${brokers} (pid ${broker.pid})`)
}

/** CPU seconds of the broker JVM, null when it is not ours */
const brokerCpu = (): number | null => processCpuSeconds(broker?.pid)

interface Cpu { t: number, own: NodeJS.CpuUsage, broker: number | null }
const cpuNow = (): Cpu => ({ t: performance.now(), own: process.cpuUsage(), broker: brokerCpu() })
function cpuSince (c: Cpu): { seconds: number, cpuPercent: number, brokerCpuPercent: number | null } {
  const seconds = (performance.now() - c.t) / 1000
  const d = process.cpuUsage(c.own)
  const b = brokerCpu()
  return {
    seconds: Math.round(seconds * 1000) / 1000,
    cpuPercent: r1((d.user + d.system) / 1e4 / seconds),
    brokerCpuPercent: b === null || c.broker === null ? null : r1((b - c.broker) * 100 / seconds)
  }
}

// ---- the backlog: RIGS rigs x CYCLES real cycles, interleaved by time as a fleet sends them
const produceStart = cpuNow()
const sink = createKafkaSink({ brokers: brokers.split(','), log, clientId: 'bench-worker-kafka-producer' })
await sink.connect()
const sources = Array.from({ length: RIGS }, (_, i) => ({
  rig: `rig-${String(i).padStart(5, '0')}`,
  src: createUciReplay({ startUs: T0, startCycle: 1 + (i * 7) % 1700, loop: true }),
  seq: 0
}))
const total = RIGS * CYCLES * 60
let bytes = 0
let chunk: Array<{ tenant: string, rig: string, seq: number, bytes: Uint8Array, schema: string }> = []
for (let k = 0; k < CYCLES * 60; k++) {
  for (const s of sources) {
    const w = s.src.next()
    s.seq++
    const b = toFrameBatch(TENANT, s.rig, s.seq, w, w.windowStartUs + 1000)
    bytes += b.length
    chunk.push({ tenant: TENANT, rig: s.rig, seq: s.seq, bytes: b, schema: FRAME_SCHEMA })
    if (chunk.length === 500) { await sink.sendFrames(chunk); chunk = [] }
  }
  if (k % 60 === 59) say(`# produced ${((k + 1) * RIGS).toLocaleString('en')} of ${total.toLocaleString('en')} records`)
}
if (chunk.length > 0) await sink.sendFrames(chunk)
await sink.close()
const produced = { records: total, bytesPerRecord: Math.round(bytes / total), ...cpuSince(produceStart) }
say(`# backlog: ${total.toLocaleString('en')} records (${RIGS} rigs x ${CYCLES} cycles x 60), ${produced.bytesPerRecord} B each, produced in ${produced.seconds} s`)

const runtime = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node', providers: ['cpu'], threads: 1 })
const reader = new FrameReader(runtime.manifest.channels)
let group = 0

/** Reads the whole backlog with @platformatic/kafka (the worker's consumer settings). */
async function platformatic (decode: boolean, highWaterMark?: number): Promise<Record<string, unknown>> {
  const c = new Consumer<string, Buffer, string, string>({
    clientId: 'bench-worker-kafka',
    groupId: `bench-${process.pid}-${group++}`,
    bootstrapBrokers: brokers.split(','),
    autocommit: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 30_000,
    maxWaitTime: 200,
    ...(highWaterMark ? { highWaterMark } : {}),
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer }
  })
  const stream = await c.consume({ topics: [topic], mode: 'earliest', autocommit: false })
  let n = 0
  let samples = 0
  let start: Cpu | null = null
  const done = await new Promise<ReturnType<typeof cpuSince>>((resolve, reject) => {
    stream.on('error', reject)
    stream.on('data', m => {
      start ??= cpuNow()
      if (decode) samples += reader.read(m.value).channels.length
      if (++n === total) resolve(cpuSince(start))
      else if (n % 60_000 === 0) say(`#   ${n.toLocaleString('en')} records`)
    })
  })
  await stream.close()
  await new Promise<void>(resolve => c.close(true, () => resolve()))
  if (decode && samples !== total * runtime.manifest.channels.length) throw new Error(`decoded ${samples} channels, expected ${total * runtime.manifest.channels.length}`)
  return { records: n, ...done, recordsPerSec: Math.round(n / done.seconds), windowsPerSec: Math.round(n / 60 / done.seconds) }
}

/** Reads the whole backlog with kafkajs (eachBatch, counting). */
async function kafkajsRead (): Promise<Record<string, unknown>> {
  registerKafkajsCodecs()
  const kafka = new kafkajs.Kafka({ clientId: 'bench-worker-kafka-kafkajs', brokers: brokers.split(','), logLevel: kafkajs.logLevel.NOTHING })
  const c = kafka.consumer({ groupId: `bench-${process.pid}-${group++}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200 })
  await c.connect()
  await c.subscribe({ topic, fromBeginning: true })
  let n = 0
  let start: Cpu | null = null
  const done = await new Promise<ReturnType<typeof cpuSince>>(resolve => {
    void c.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        start ??= cpuNow()
        const before = n
        n += batch.messages.length
        if (n === total) resolve(cpuSince(start))
        else if (Math.floor(n / 60_000) > Math.floor(before / 60_000)) say(`#   ${n.toLocaleString('en')} records`)
      }
    })
  })
  await c.disconnect()
  return { records: n, ...done, recordsPerSec: Math.round(n / done.seconds), windowsPerSec: Math.round(n / 60 / done.seconds) }
}

/** The whole Kafka worker on the backlog, until every window's prediction is durable. */
async function wholeWorker (): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-worker-kafka-'))
  const server = await startEmbeddedPostgres({ dir, persistent: false })
  try {
    const url = await server.createDatabase('bench_worker_kafka')
    await migrate(url, log)
    const pool = new pg.Pool({ connectionString: url, max: 4 })
    const windows = RIGS * CYCLES
    let stored = 0
    const start = cpuNow()
    let resolveDone!: () => void
    const allStored = new Promise<void>(resolve => { resolveDone = resolve })
    const w = await startKafkaWorker({
      brokers: brokers.split(','),
      groupId: `bench-${process.pid}-${group++}`,
      store: createPredictionStore(pool),
      runtime,
      log,
      maxBatch: 256,
      maxWaitMs: 50,
      alertCycles: 3,
      onDurable: ws => {
        stored += ws.length
        if (Math.floor(stored / 1000) > Math.floor((stored - ws.length) / 1000)) say(`#   ${stored.toLocaleString('en')} of ${windows.toLocaleString('en')} windows stored`)
        if (stored >= windows) resolveDone()
      }
    })
    await allStored
    const done = cpuSince(start)
    const st = w.stats()
    await w.close()
    const rows = Number((await pool.query('SELECT count(*) AS n FROM predictions')).rows[0].n)
    await pool.end()
    if (rows !== windows) throw new Error(`${rows} predictions stored, expected ${windows}`)
    return { windows, predictionsStored: rows, framesRead: st.framesRead, ...done, windowsPerSec: Math.round(windows / done.seconds), recordsPerSec: Math.round(st.framesRead / done.seconds) }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Record<string, Record<string, unknown>> = {}
try {
  say('# warm-up read (broker and client JIT)')
  await platformatic(false)
  for (const [name, run] of [
    ['platformaticBare', () => platformatic(false)],
    ['platformaticDecode', () => platformatic(true)],
    ['platformaticBareHighWaterMark16k', () => platformatic(false, 16_384)],
    ['kafkajsBare', kafkajsRead],
    ['wholeWorker', wholeWorker]
  ] as Array<[string, () => Promise<Record<string, unknown>>]>) {
    say(`# ${name}`)
    results[name] = await run()
    say(`# ${name}: ${JSON.stringify(results[name])}`)
  }
} finally {
  await broker?.destroy()
}

const out = {
  bench: 'worker-kafka',
  quick,
  rigs: RIGS,
  cycles: CYCLES,
  records: total,
  produced,
  ...results,
  feedCeilingWindowsPerSec: results.platformaticBare!.windowsPerSec,
  windowsPerSec: results.wholeWorker!.windowsPerSec,
  provider: runtime.provider,
  machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}`
}
if (!args.json) {
  say('')
  say(`feed ceiling (bare @platformatic/kafka read): ${out.feedCeilingWindowsPerSec} windows/s; whole worker: ${out.windowsPerSec} windows/s`)
}
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(0)
