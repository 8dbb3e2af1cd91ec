// npm run bench -- simulator [--quick] [--json]
// Cost of one simulated rig-second (728 samples on the reference profile) and of its FrameBatch
// encoding. Baseline in the same run: evaluating the load-cycle model per sample with Box–Muller
// noise, which is what the per-(profile, faults) template and the noise table replace.
import { cpus } from 'node:os'
import { requireProfile } from '../common/src/profile.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { CycleModel, HEALTHY, CHANNEL_NOISE } from '../edge-agent/src/sources/sim-physics.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import type { SourceWindow } from '../edge-agent/src/sources/types.js'

const quick = process.argv.includes('--quick')
const json = process.argv.includes('--json')
const RIGS = 100
const WINDOWS = quick ? 5_000 : 50_000
const BASELINE_WINDOWS = quick ? 200 : 2_000
const profile = requireProfile()

function time (n: number, fn: (i: number) => void): number {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn(i)
  return Number(process.hrtime.bigint() - t0) / 1000 / n
}

const sims = Array.from({ length: RIGS }, (_, i) => createSimulator({ seed: i, startUs: 1_700_000_000_000_000, faults: { cooler: ([3, 20, 100] as const)[i % 3] } }))
let sink = 0
time(2_000, i => { sink += sims[i % RIGS].next().channels.length }) // warm-up
const simUs = time(WINDOWS, i => { sink += sims[i % RIGS].next().channels.length })

const windows: SourceWindow[] = Array.from({ length: 200 }, (_, i) => sims[i % RIGS].next())
time(2_000, i => { sink += toFrameBatch('acme', 'rig', i + 1, windows[i % 200], 0).length })
let bytes = 0
const encodeUs = time(WINDOWS, i => { const b = toFrameBatch('acme', 'rig', i + 1, windows[i % 200], 0); bytes = b.length; sink += bytes })

const model = new CycleModel(HEALTHY, profile.cycleSeconds)
const naive = (k: number): void => {
  const s = k % profile.cycleSeconds
  for (const ch of profile.channels) {
    const out = new Float32Array(ch.rateHz)
    const sigma = CHANNEL_NOISE[ch.id].noise
    for (let i = 0; i < ch.rateHz; i++) {
      const g = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
      out[i] = model.value(ch.id, s + i / ch.rateHz) + sigma * g
    }
    sink += out.length
  }
}
time(100, naive)
const naiveUs = time(BASELINE_WINDOWS, naive)

const result = {
  scenario: 'simulator',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  samplesPerWindow: profile.samplesPerSecond,
  windows: WINDOWS,
  simulatorUsPerWindow: round(simUs),
  encodeUsPerWindow: round(encodeUs),
  frameBytes: bytes,
  baselineNaiveModelUsPerWindow: round(naiveUs),
  speedupOverBaseline: round(naiveUs / simUs),
  // rigs at 1 frame/s one core could simulate and encode
  rigsPerCoreAt1Hz: Math.floor(1e6 / (simUs + encodeUs)),
  sink: sink > 0
}
if (json) console.log(JSON.stringify(result))
else {
  console.log(`simulator: ${result.simulatorUsPerWindow} µs/window (${result.samplesPerWindow} samples), encode ${result.encodeUsPerWindow} µs (${bytes} B)`)
  console.log(`baseline (model per sample): ${result.baselineNaiveModelUsPerWindow} µs/window -> ${result.speedupOverBaseline}x`)
  console.log(JSON.stringify(result))
}

function round (x: number): number {
  return Math.round(x * 100) / 100
}
