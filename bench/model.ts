// npm run bench -- model [--quick] [--json] [--model <package dir>]
// Latency of one window (p50/p99) with onnxruntime-node and onnxruntime-web, single-threaded as on
// the edge, and windows/s at batch 1, 64 and 1024. Feature extraction is included in the
// end-to-end figures and also measured on its own, as is the network alone (runTensor on
// prepared input). Inputs: real UCI cycles from the repository, fixed order. The last stdout
// line is one JSON object.
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { repoPath } from '../common/src/paths.js'
import { DEFAULT_MODEL_DIR } from '../inference/src/package.js'
import { loadModel } from '../inference/src/runtime.js'
import { FeatureExtractor } from '../inference/src/features.js'
import { loadUciCycles } from '../inference/src/uci.js'
import type { CycleWindow, ModelRuntime } from '../inference/src/types.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, model: { type: 'string' } } })
const MODEL_DIR = args.model ?? DEFAULT_MODEL_DIR   // default: the bundled reference package
const quick = args.quick === true
const SINGLE_ITERS = quick ? 3000 : 20000
const WARMUP = quick ? 300 : 2000
const BATCH_WINDOWS = quick ? 8192 : 65536   // windows pushed through per batch size
const BATCHES = [1, 64, 1024]

const say = (s: string): void => { process.stderr.write(s + '\n') }
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6

function pct (sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

function summary (samples: Float64Array): { p50Ms: number, p99Ms: number, meanMs: number } {
  const s = Float64Array.from(samples).sort()
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  const r = (v: number): number => Math.round(v * 10000) / 10000
  return { p50Ms: r(pct(s, 0.5)), p99Ms: r(pct(s, 0.99)), meanMs: r(mean) }
}

const windows: CycleWindow[] = loadUciCycles(repoPath('edge-agent', 'data', 'uci-hydraulic')).cycles.map(c => c.window)

async function single (rt: ModelRuntime): Promise<Record<string, unknown>> {
  const fx = new FeatureExtractor(rt.manifest.featureSpec, rt.manifest.channels, rt.manifest.normalisation)
  const width = rt.manifest.channels.length * fx.width
  for (let i = 0; i < WARMUP; i++) await rt.predict(windows[i % windows.length]!)
  gc()
  const total = new Float64Array(SINGLE_ITERS)
  for (let i = 0; i < SINGLE_ITERS; i++) {
    const t0 = nowMs()
    await rt.predict(windows[i % windows.length]!)
    total[i] = nowMs() - t0
  }
  const feat = new Float64Array(SINGLE_ITERS)
  const input = new Float32Array(width)
  for (let i = 0; i < SINGLE_ITERS; i++) {
    const t0 = nowMs()
    fx.write(windows[i % windows.length]!, input)
    feat[i] = nowMs() - t0
  }
  const net = new Float64Array(SINGLE_ITERS)
  for (let i = 0; i < SINGLE_ITERS; i++) {
    const t0 = nowMs()
    await rt.runTensor(input, 1)
    net[i] = nowMs() - t0
  }
  return { predict: summary(total), featuresOnly: summary(feat), networkOnly: summary(net) }
}

async function throughput (rt: ModelRuntime, batch: number): Promise<Record<string, number>> {
  const fx = new FeatureExtractor(rt.manifest.featureSpec, rt.manifest.channels, rt.manifest.normalisation)
  const width = rt.manifest.channels.length * fx.width
  const rounds = Math.max(8, Math.floor(BATCH_WINDOWS / batch))
  const batches: CycleWindow[][] = []
  for (let r = 0; r < Math.min(rounds, 64); r++) batches.push(Array.from({ length: batch }, (_, i) => windows[(r * batch + i) % windows.length]!))
  await rt.predictBatch(batches[0]!)
  gc()
  let t0 = nowMs()
  for (let r = 0; r < rounds; r++) await rt.predictBatch(batches[r % batches.length]!)
  const endToEnd = rounds * batch / ((nowMs() - t0) / 1000)

  const input = new Float32Array(batch * width)
  t0 = nowMs()
  for (let r = 0; r < rounds; r++) {
    const b = batches[r % batches.length]!
    for (let i = 0; i < batch; i++) fx.write(b[i]!, input, i * width)
  }
  const featuresOnly = rounds * batch / ((nowMs() - t0) / 1000)

  t0 = nowMs()
  for (let r = 0; r < rounds; r++) await rt.runTensor(input, batch)
  const networkOnly = rounds * batch / ((nowMs() - t0) / 1000)
  return { windowsPerSec: Math.round(endToEnd), featuresOnlyPerSec: Math.round(featuresOnly), networkOnlyPerSec: Math.round(networkOnly) }
}

const result: Record<string, unknown> = {
  bench: 'model',
  quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  singleIterations: SINGLE_ITERS
}
const perBackend: Record<string, unknown> = {}
for (const backend of ['node', 'web'] as const) {
  const rt = await loadModel(MODEL_DIR, { backend, threads: 1 })
  result.model = { name: rt.manifest.name, version: rt.manifest.version, bytes: rt.manifest.model.bytes }
  say(`# ${rt.backend} (${rt.provider}, 1 thread)`)
  const s = await single(rt)
  say(`  one window: ${JSON.stringify(s)}`)
  const t: Record<string, unknown> = {}
  for (const b of BATCHES) {
    t[`batch${b}`] = await throughput(rt, b)
    say(`  batch ${b}: ${JSON.stringify(t[`batch${b}`])}`)
  }
  perBackend[rt.backend] = { provider: rt.provider, threads: 1, single: s, throughput: t }
  await rt.close()
  gc()
}
result.backends = perBackend
{
  // the cloud setting: onnxruntime-node with both cores at the largest batch
  const rt = await loadModel(MODEL_DIR, { backend: 'node', threads: 2 })
  const t = await throughput(rt, 1024)
  say(`# onnxruntime-node (cpu, 2 threads) batch 1024: ${JSON.stringify(t)}`)
  result.cloudNode2Threads = { batch1024: t }
  await rt.close()
}
const nodeP99 = ((perBackend['onnxruntime-node'] as { single: { predict: { p99Ms: number } } }).single.predict.p99Ms)
const webP99 = ((perBackend['onnxruntime-web'] as { single: { predict: { p99Ms: number } } }).single.predict.p99Ms)
result.nodeP99Ms = nodeP99
result.webP99Ms = webP99
result.targets = { nodeP99Ms: 0.5, webP99Ms: 2, met: nodeP99 <= 0.5 && webP99 <= 2 }
if (!args.json) say(JSON.stringify(result, null, 2))
process.stdout.write(JSON.stringify(result) + '\n')
