// npm run bench -- kafka-clients [--quick] [--json] [--messages N] [--rounds R] [--brokers host:port]
// kafkajs against @platformatic/kafka, each behind the product's KafkaSink (idempotent, acks=all,
// one batch in flight, as ingest uses it), at each compression, against a REAL Kafka broker
// (deploy/kafka, started here unless --brokers is given). Fixed inputs: one simulated FrameBatch
// per rig (full reference channel set, ~3.4 KB) for 2,750 rigs, sent in batches of 500 keyed
// tenant/rig. Each scenario runs in a child process so its RSS and CPU are its own; kafkajs is
// the baseline. Last line of stdout: one JSON object.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { repoPath } from '../common/src/paths.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { createKafkaSink, FRAME_SCHEMA, type KafkaClientName, type KafkaCompression, type KafkaFrameRecord } from '../ingest/src/sinks/kafka.js'
import { createKafkaProcess, type KafkaProcess } from '../tests/support/kafka.js'
import { processCpuSeconds } from './_stats.js'

interface Spec { brokers: string, client: KafkaClientName, compression: KafkaCompression, messages: number, batch: number, rigs: number, warmupBatches: number }
interface ChildResult { messages: number, payloadBytes: number, seconds: number, p50Ms: number, p99Ms: number, maxMs: number, rssMB: number, cpuPercent: number, cpuUsPerMsg: number }
interface Row extends ChildResult { client: KafkaClientName, compression: KafkaCompression, msgsPerSec: number, MBPerSec: number, brokerCpuPercent: number | null, brokerCpuUsPerMsg: number | null, storedBytesPerMsg: number | null }
/** what the parent reads while a child measures: broker CPU seconds at its start and end markers */
interface Window { cpuAtStart: number | null, cpuAtEnd: number | null }

const RIGS = 2_750
const BATCH = 500
const SCENARIOS: Array<[KafkaClientName, KafkaCompression]> = [
  ['kafkajs', 'none'], ['platformatic', 'none'],
  ['kafkajs', 'gzip'], ['platformatic', 'gzip'],
  ['kafkajs', 'snappy'], ['platformatic', 'snappy'],
  ['kafkajs', 'lz4'], ['platformatic', 'lz4']
]

const argv = process.argv.slice(2)
if (argv[0] === '--child') await child(JSON.parse(argv[1]) as Spec)
else await parent()

async function parent (): Promise<void> {
  const quick = argv.includes('--quick')
  const json = argv.includes('--json')
  const messages = Number(arg('--messages') ?? (quick ? 20_000 : 100_000))
  const rounds = Number(arg('--rounds') ?? (quick ? 1 : 3))
  const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }

  let broker: KafkaProcess | null = null
  let brokers = arg('--brokers') ?? ''
  let brokerStartMs: number | null = null
  if (!brokers) {
    broker = await createKafkaProcess()
    const t0 = Date.now()
    await broker.start()
    brokerStartMs = Date.now() - t0
    brokers = broker.brokers
    say(`broker ${brokers} started in ${brokerStartMs} ms`)
  }
  // a JVM broker that just started is slow until its JIT has warmed up: one unrecorded run first
  await runChild({ brokers, client: 'platformatic', compression: 'lz4', messages: quick ? 10_000 : 30_000, batch: BATCH, rigs: RIGS, warmupBatches: 4 }, null)
  say('broker warmed up')
  const stop = async (): Promise<void> => { if (broker) await broker.destroy() }
  process.once('SIGINT', () => { void stop().then(() => process.exit(130)) })
  try {
    const runs = new Map<string, Row[]>()
    for (let round = 0; round < rounds; round++) {
      // rotate the order each round so neither client always runs first (page cache, JIT of the broker)
      const order = SCENARIOS.map((_, i) => SCENARIOS[(i + round * 2) % SCENARIOS.length])
      for (const [client, compression] of order) {
        const spec: Spec = { brokers, client, compression, messages, batch: BATCH, rigs: RIGS, warmupBatches: 4 }
        const stored0 = broker ? storedBytes(broker.dir) : null
        const w: Window = { cpuAtStart: null, cpuAtEnd: null }
        const r = await runChild(spec, broker ? { broker, window: w } : null)
        const stored1 = broker ? storedBytes(broker.dir) : null
        const brokerCpu = w.cpuAtStart !== null && w.cpuAtEnd !== null ? w.cpuAtEnd - w.cpuAtStart : null
        const row: Row = {
          client,
          compression,
          ...r,
          msgsPerSec: Math.round(r.messages / r.seconds),
          MBPerSec: round2(r.payloadBytes / 1e6 / r.seconds),
          // broker CPU between the child's start and end markers (the measured sends only)
          brokerCpuPercent: brokerCpu !== null ? Math.round(brokerCpu / r.seconds * 100) : null,
          brokerCpuUsPerMsg: brokerCpu !== null ? round2(brokerCpu * 1e6 / r.messages) : null,
          // bytes the broker wrote per message, warm-up included (records, batch headers, compression)
          storedBytesPerMsg: stored0 !== null && stored1 !== null ? Math.round((stored1 - stored0) / (r.messages + spec.warmupBatches * BATCH)) : null
        }
        say(`round ${round + 1} ${client.padEnd(12)} ${compression.padEnd(6)} ${String(row.msgsPerSec).padStart(7)} msg/s ${String(row.MBPerSec).padStart(6)} MB/s  p50 ${row.p50Ms} ms p99 ${row.p99Ms} ms  rss ${row.rssMB} MB  cpu ${row.cpuPercent}% (${row.cpuUsPerMsg} µs/msg)  broker ${row.brokerCpuPercent ?? '-'}% (${row.brokerCpuUsPerMsg ?? '-'} µs/msg)  stored ${row.storedBytesPerMsg ?? '-'} B/msg`)
        const key = `${client}/${compression}`
        runs.set(key, [...(runs.get(key) ?? []), row])
      }
    }
    const results = SCENARIOS.map(([client, compression]) => median(runs.get(`${client}/${compression}`) ?? []))
    const ratio: Record<string, number> = {}
    for (const c of ['none', 'gzip', 'snappy', 'lz4'] as const) {
      const a = results.find(r => r.client === 'kafkajs' && r.compression === c)
      const b = results.find(r => r.client === 'platformatic' && r.compression === c)
      if (a && b) ratio[c] = round2(b.msgsPerSec / a.msgsPerSec)
    }
    const fastest = [...results].sort((a, b) => b.msgsPerSec - a.msgsPerSec)[0]
    console.log(JSON.stringify({
      scenario: 'kafka-clients',
      quick,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      kafka: kafkaVersion(),
      brokerStartMs,
      messages,
      rounds,
      batch: BATCH,
      rigs: RIGS,
      baseline: 'kafkajs',
      results,
      platformaticVsKafkajsMsgsPerSec: ratio,
      fastest: { client: fastest.client, compression: fastest.compression, msgsPerSec: fastest.msgsPerSec }
    }))
  } finally {
    await stop()
  }
}

async function child (spec: Spec): Promise<void> {
  // fixed inputs: rig i is simulator seed i, one window after a rig-dependent offset into the cycle
  const rigIds = Array.from({ length: spec.rigs }, (_, i) => `rig-${String(i).padStart(4, '0')}`)
  const payloads = rigIds.map((rig, i) => {
    const sim = createSimulator({ seed: i, startUs: 1_700_000_000_000_000, faults: { cooler: ([3, 20, 100] as const)[i % 3] } })
    for (let k = 0; k < i % 60; k++) sim.next()
    return toFrameBatch('bench', rig, 1, sim.next(), 1_700_000_000_000_000)
  })
  const seqs = new Array<number>(spec.rigs).fill(0)
  let cursor = 0
  const nextBatch = (): KafkaFrameRecord[] => {
    const out: KafkaFrameRecord[] = new Array(spec.batch)
    for (let i = 0; i < spec.batch; i++) {
      const r = cursor++ % spec.rigs
      out[i] = { tenant: 'bench', rig: rigIds[r], seq: ++seqs[r], bytes: payloads[r], schema: FRAME_SCHEMA }
    }
    return out
  }

  const log = pino({ level: 'warn' }, pino.destination(2))
  const sink = createKafkaSink({ brokers: spec.brokers.split(','), client: spec.client, compression: spec.compression, log, clientId: `bench-${spec.client}` })
  await sink.connect()
  for (let i = 0; i < spec.warmupBatches; i++) await sink.sendFrames(nextBatch())
  global.gc?.()

  let rss = process.memoryUsage().rss
  const sampler = setInterval(() => { rss = Math.max(rss, process.memoryUsage().rss) }, 50)
  const batches = Math.ceil(spec.messages / spec.batch)
  const lat: number[] = []
  let payloadBytes = 0
  await markerWritten('measuring')
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let b = 0; b < batches; b++) {
    const recs = nextBatch()
    for (const r of recs) payloadBytes += r.bytes.byteLength
    const s = process.hrtime.bigint()
    await sink.sendFrames(recs)
    lat.push(Number(process.hrtime.bigint() - s) / 1e6)
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const cpu = process.cpuUsage(cpu0)
  await markerWritten('done')
  clearInterval(sampler)
  rss = Math.max(rss, process.memoryUsage().rss)
  await sink.close()
  lat.sort((a, b) => a - b)
  const result: ChildResult = {
    messages: batches * spec.batch,
    payloadBytes,
    seconds: round2(seconds),
    p50Ms: round2(lat[Math.floor(lat.length * 0.5)]),
    p99Ms: round2(lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]),
    maxMs: round2(lat[lat.length - 1]),
    rssMB: Math.round(rss / 1048576),
    cpuPercent: Math.round((cpu.user + cpu.system) / 1e6 / seconds * 100),
    cpuUsPerMsg: round2((cpu.user + cpu.system) / (batches * spec.batch))
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

/** A marker line on stdout, flushed, and a moment for the parent to sample the broker's CPU. */
async function markerWritten (marker: string): Promise<void> {
  await new Promise<void>(resolve => process.stdout.write(marker + '\n', () => resolve()))
  await new Promise(resolve => setTimeout(resolve, 20))
}

function runChild (spec: Spec, watch: { broker: KafkaProcess, window: Window } | null): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', d => {
      out += String(d)
      if (!watch) return
      if (watch.window.cpuAtStart === null && out.includes('measuring\n')) watch.window.cpuAtStart = processCpuSeconds(watch.broker.pid)
      if (watch.window.cpuAtEnd === null && out.includes('done\n')) watch.window.cpuAtEnd = processCpuSeconds(watch.broker.pid)
    })
    p.once('error', reject)
    p.once('exit', code => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${spec.client}/${spec.compression} failed (exit ${code}): ${out}`))
      else resolve(JSON.parse(last) as ChildResult)
    })
  })
}

/** bytes in the broker's rs.frames.v1 log segments */
function storedBytes (dir: string): number | null {
  try {
    let total = 0
    for (const d of readdirSync(join(dir, 'data')).filter(n => n.startsWith('rs.frames.v1-'))) {
      for (const f of readdirSync(join(dir, 'data', d)).filter(n => n.endsWith('.log'))) total += statSync(join(dir, 'data', d, f)).size
    }
    return total
  } catch { return null }
}

function median (rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.msgsPerSec - b.msgsPerSec)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

function kafkaVersion (): string {
  try {
    const pom = readFileSync(repoPath('deploy', 'kafka', 'pom.xml'), 'utf8')
    return /<kafka.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown'
  } catch { return 'unknown' }
}

function arg (name: string): string | undefined {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

function round2 (x: number): number {
  return Math.round(x * 100) / 100
}
