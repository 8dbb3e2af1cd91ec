// Simulated rig with the full reference channel set (728 samples per 1 s window on the UCI profile).
//
// The simulator serves load tests and demos, NEVER accuracy claims: its signals are plausible
// shapes of the UCI rig's load cycle (sim-physics.ts), not recordings. Deterministic for a seed:
// the same options give byte-identical windows.
//
// Cost: the deterministic part of a whole load cycle is computed once per (profile, faults) and
// shared by every simulated rig (a template); a window is then one copy of the template slice plus
// table-lookup noise per sample. Measure with `npm run bench -- simulator`.
import { rsError } from '../../../common/src/errors.js'
import { requireProfile, type RigProfile } from '../../../common/src/profile.js'
import { CHANNEL_NOISE, CycleModel, FAULT_LEVELS, HEALTHY, tankEquilibrium, type Faults } from './sim-physics.js'
import { NORMAL_TABLE, Prng } from './prng.js'
import type { CycleLabels, RigSource, SourceChannel, SourceWindow } from './types.js'

export type { Faults } from './sim-physics.js'
export { FAULT_LEVELS, HEALTHY } from './sim-physics.js'

export interface SimulatorOptions {
  seed: number
  /** rig-clock time of the first window, µs since the epoch */
  startUs: number
  faults?: Partial<Faults>
  /** default: the reference profile uci-hydraulic/v1 */
  profile?: RigProfile
}

export interface SimulatorSource extends RigSource {
  readonly kind: 'simulator'
  /** changes component conditions from the next window on (temperatures drift to the new level) */
  setFaults (faults: Partial<Faults>): void
  faults (): Faults
  /** labels of the current state, in UCI terms (stable = 0 once temperatures have settled) */
  currentLabels (): CycleLabels
}

interface TemplateChannel {
  id: string
  rateHz: number
  /** samples per window */
  n: number
  /** one load cycle of deterministic values, n x cycleSeconds */
  data: Float32Array
  min: number
  max: number
  noise: number
  jitter: number
  gain: number
}

// Thermal time constant of the tank (s): how fast temperatures follow a cooler change.
const THERMAL_TAU_S = 240
// Temperatures within this many °C of equilibrium count as stable.
const STABLE_BAND_C = 2

const templates = new Map<string, TemplateChannel[]>()

export function createSimulator (opts: SimulatorOptions): SimulatorSource {
  const profile = opts.profile ?? requireProfile()
  if (!Number.isSafeInteger(opts.startUs)) throw rsError('RS_ERR_CONFIG', `simulator startUs must be an integer number of µs, got ${opts.startUs}`)
  if (!Number.isFinite(opts.seed)) throw rsError('RS_ERR_CONFIG', `simulator seed must be a number, got ${opts.seed}`)
  const windowUs = profile.windowUs
  const cycleSeconds = profile.cycleSeconds
  if (windowUs !== 1_000_000) throw rsError('RS_ERR_CONFIG', `simulator supports 1 s windows, profile ${profile.id} has ${windowUs} µs`)
  let faults = checkFaults({ ...HEALTHY, ...opts.faults })
  let channels = template(profile, faults)
  const prng = new Prng(opts.seed)
  const jitter = new Float64Array(channels.length)
  const thermalDecay = Math.exp(-windowUs / 1e6 / THERMAL_TAU_S)
  let dT = 0
  let k = 0

  return {
    profileId: profile.id,
    kind: 'simulator',
    next (): SourceWindow {
      const second = k % cycleSeconds
      const windowStartUs = opts.startUs + k * windowUs
      if (second === 0) for (let c = 0; c < channels.length; c++) jitter[c] = channels[c].jitter * prng.normal()
      const out: SourceChannel[] = new Array(channels.length)
      for (let c = 0; c < channels.length; c++) {
        const ch = channels[c]
        const n = ch.n
        const samples = new Float32Array(n)
        const data = ch.data
        const base = second * n
        const offset = jitter[c] + ch.gain * dT
        const noise = ch.noise
        const lo = ch.min
        const hi = ch.max
        for (let i = 0; i < n; i++) {
          const v = data[base + i] + offset + noise * NORMAL_TABLE[prng.u32() >>> 20]
          samples[i] = v < lo ? lo : v > hi ? hi : v
        }
        out[c] = { id: ch.id, rateHz: ch.rateHz, startUs: windowStartUs, samples }
      }
      const window: SourceWindow = { windowStartUs, windowUs, cycle: Math.floor(k / cycleSeconds) + 1, channels: out }
      dT *= thermalDecay
      k++
      return window
    },
    setFaults (next: Partial<Faults>): void {
      const updated = checkFaults({ ...faults, ...next })
      // The tank keeps its temperature; it drifts towards the new equilibrium from here.
      dT += tankEquilibrium(faults.cooler) - tankEquilibrium(updated.cooler)
      faults = updated
      channels = template(profile, faults)
    },
    faults: () => ({ ...faults }),
    currentLabels: () => ({ ...faults, stable: Math.abs(dT) > STABLE_BAND_C ? 1 : 0 })
  }
}

function checkFaults (f: Faults): Faults {
  for (const key of Object.keys(FAULT_LEVELS) as Array<keyof Faults>) {
    const levels: readonly number[] = FAULT_LEVELS[key]
    if (!levels.includes(f[key])) throw rsError('RS_ERR_CONFIG', `simulator faults.${key} must be one of ${levels.join(', ')}, got ${JSON.stringify(f[key])}`)
  }
  for (const key of Object.keys(f)) {
    if (!(key in FAULT_LEVELS)) throw rsError('RS_ERR_CONFIG', `simulator faults.${key} is not a fault type (cooler, valve, pump, accumulator)`)
  }
  return Object.freeze({ cooler: f.cooler, valve: f.valve, pump: f.pump, accumulator: f.accumulator })
}

/** The deterministic load cycle of every profile channel for one set of faults (cached, shared). */
function template (profile: RigProfile, f: Faults): TemplateChannel[] {
  const key = `${profile.id}|${f.cooler}|${f.valve}|${f.pump}|${f.accumulator}`
  const hit = templates.get(key)
  if (hit) return hit
  const model = new CycleModel(f, profile.cycleSeconds)
  const built = profile.channels.map(spec => {
    const noise = CHANNEL_NOISE[spec.id]
    if (!noise) throw rsError('RS_ERR_CONFIG', `simulator has no model for channel ${spec.id} of profile ${profile.id}`)
    const n = spec.rateHz * profile.windowUs / 1e6
    if (!Number.isInteger(n) || n < 1) throw rsError('RS_ERR_CONFIG', `channel ${spec.id}: ${spec.rateHz} Hz is not a whole number of samples per window`)
    const total = n * profile.cycleSeconds
    const data = new Float32Array(total)
    // A sample averages the signal over its own interval, as a sensor's anti-alias filter would.
    const sub = Math.max(1, Math.round(100 / spec.rateHz))
    for (let j = 0; j < total; j++) {
      let sum = 0
      for (let q = 0; q < sub; q++) sum += model.value(spec.id, (j + q / sub) / spec.rateHz)
      data[j] = Math.min(spec.max, Math.max(spec.min, sum / sub))
    }
    return { id: spec.id, rateHz: spec.rateHz, n, data, min: spec.min, max: spec.max, noise: noise.noise, jitter: noise.jitter, gain: noise.thermalGain }
  })
  templates.set(key, built)
  return built
}
