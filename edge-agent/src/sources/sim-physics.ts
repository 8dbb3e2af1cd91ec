// The simulator's model of the UCI rig's 60 s load cycle, one pure function per channel.
//
// For load tests and demos only: the shapes are plausible (levels and ranges taken from the real
// 1 Hz channels, the documented fault effects in the right direction), not a validated physical
// model. No accuracy is ever claimed on simulated data (see edge-agent/data/uci-hydraulic/README.md).

/** Component conditions at the UCI severity levels. */
export interface Faults {
  /** cooler efficiency, %: 3 close to total failure, 20 reduced, 100 full */
  cooler: 3 | 20 | 100
  /** valve switching, %: 73 close to total failure, 80 severe lag, 90 small lag, 100 optimal */
  valve: 73 | 80 | 90 | 100
  /** internal pump leakage: 0 none, 1 weak, 2 severe */
  pump: 0 | 1 | 2
  /** accumulator pre-charge, bar: 90 close to total failure … 130 optimal */
  accumulator: 90 | 100 | 115 | 130
}

export const HEALTHY: Readonly<Faults> = Object.freeze({ cooler: 100, valve: 100, pump: 0, accumulator: 130 })

export const FAULT_LEVELS = Object.freeze({
  cooler: Object.freeze([3, 20, 100] as const),
  valve: Object.freeze([73, 80, 90, 100] as const),
  pump: Object.freeze([0, 1, 2] as const),
  accumulator: Object.freeze([90, 100, 115, 130] as const)
})

/** Per-channel constants the generator applies on top of the cycle shape. */
export interface ChannelNoise {
  /** σ of white noise per sample */
  noise: number
  /** σ of an offset drawn once per load cycle (cycles are never quite identical) */
  jitter: number
  /** change per °C of tank-temperature deviation from equilibrium (slow thermal state) */
  thermalGain: number
}

export const CHANNEL_NOISE: Readonly<Record<string, ChannelNoise>> = Object.freeze({
  PS1: { noise: 0.25, jitter: 0.4, thermalGain: 0 },
  PS2: { noise: 0.25, jitter: 0.4, thermalGain: 0 },
  PS3: { noise: 0.03, jitter: 0.02, thermalGain: 0 },
  PS4: { noise: 0.03, jitter: 0.05, thermalGain: 0 },
  PS5: { noise: 0.01, jitter: 0.02, thermalGain: -0.02 },
  PS6: { noise: 0.01, jitter: 0.02, thermalGain: -0.02 },
  EPS1: { noise: 6, jitter: 8, thermalGain: -1.5 },
  FS1: { noise: 0.06, jitter: 0.05, thermalGain: 0 },
  FS2: { noise: 0.02, jitter: 0.03, thermalGain: -0.015 },
  TS1: { noise: 0.015, jitter: 0.05, thermalGain: 1 },
  TS2: { noise: 0.015, jitter: 0.05, thermalGain: 1 },
  TS3: { noise: 0.015, jitter: 0.05, thermalGain: 1 },
  TS4: { noise: 0.015, jitter: 0.05, thermalGain: 1 },
  VS1: { noise: 0.004, jitter: 0.005, thermalGain: 0.003 },
  CE: { noise: 0.05, jitter: 0.3, thermalGain: 0 },
  CP: { noise: 0.004, jitter: 0.01, thermalGain: 0.03 },
  SE: { noise: 0.15, jitter: 0.3, thermalGain: 0 }
})

// Working circuit: a proportional relief valve steps the load at these times (s into the cycle);
// the directional valve switches with each step. Levels follow the UCI ranges (PS1 ≈ 135–190 bar).
const WORK_TIMES = [0, 10, 20, 50]
const PS1_SET = [145, 182, 158, 182]
const PS2_SET = [0.5, 158, 140, 158]
const PS3_SET = [0.2, 2.0, 0.8, 2.0]
const FS1_SET = [0.0, 12.5, 3.0, 12.5]
// Cooling-filtration circuit: its own pump; PS4 is switched by a valve of its own (no fault).
const COOL_TIMES = [0, 10, 25]
const PS4_SET = [0.05, 10.1, 0.05]

// Tank temperature at equilibrium and the virtual cooling channels, by cooler condition
// (means of the real 1 Hz channels per cooler level).
const TANK_EQ: Record<number, number> = { 3: 55.0, 20: 45.5, 100: 36.0 }
const CE_LEVEL: Record<number, number> = { 3: 19.6, 20: 27.2, 100: 46.9 }
const CP_LEVEL: Record<number, number> = { 3: 1.51, 20: 1.74, 100: 2.17 }

export function tankEquilibrium (cooler: number): number {
  return TANK_EQ[cooler]
}

/** Deterministic value of every modelled channel at time t (s, 0 ≤ t < cycle length) for one set of faults. */
export class CycleModel {
  private readonly lag: number
  private readonly tau: number
  private readonly ringAmp: number
  private readonly ringTau: number
  private readonly rippleAmp: number
  private readonly flowFactor: number
  private readonly pressureFactor: number
  private readonly tank: number

  constructor (private readonly f: Faults, private readonly cycleSeconds = 60) {
    const valveDef = (100 - f.valve) / 27 // 0 optimal … 1 close to total failure
    const accDef = (130 - f.accumulator) / 40 // 0 optimal … 1 close to total failure
    // Valve lag: the pressure step starts after a dead time and rises more slowly.
    this.lag = valveDef * 0.32
    this.tau = 0.04 + valveDef * 0.16
    // A weak accumulator pre-charge damps pressure steps and pump pulsation less.
    this.ringAmp = 0.03 + 0.12 * accDef
    this.ringTau = 0.3 + 0.4 * accDef
    this.rippleAmp = 0.6 + 1.8 * accDef
    // Internal pump leakage returns part of the delivered flow to the tank.
    this.flowFactor = 1 - 0.06 * f.pump
    this.pressureFactor = 1 - 0.012 * f.pump
    this.tank = TANK_EQ[f.cooler]
  }

  static readonly channels: readonly string[] = Object.freeze(Object.keys(CHANNEL_NOISE))

  value (channel: string, t: number): number {
    const f = this.f
    const slow = Math.sin(2 * Math.PI * (t - 15) / this.cycleSeconds)
    switch (channel) {
      case 'PS1': return Math.max(0, this.ps1(t) + this.rippleAmp * Math.sin(2 * Math.PI * 17.3 * t))
      case 'PS2': return Math.max(0, this.pressure(PS2_SET, t, 0.7) + 0.5 * this.rippleAmp * Math.sin(2 * Math.PI * 17.3 * t + 1))
      case 'PS3': return this.stepped(WORK_TIMES, PS3_SET, t, this.lag, this.tau) + this.spike(t)
      case 'PS4': return this.stepped(COOL_TIMES, PS4_SET, t, 0, 0.05)
      case 'PS5': return 9.2 - 0.15 * slow
      case 'PS6': return 9.12 - 0.15 * slow
      case 'EPS1': return this.eps1(t)
      case 'FS1': return this.fs1(t)
      case 'FS2': return 9.7 + 0.08 * slow
      case 'TS1': return this.tank + 0.15 * slow
      case 'TS2': return this.tank + 5.2 + 0.8 * f.pump + 0.3 * slow
      case 'TS3': return this.tank + 2.5 + 0.2 * slow
      case 'TS4': return this.tank - 5.0 + 0.2 * slow
      case 'VS1': return 0.53 + 0.003 * (this.tank - 36) + 0.02 * f.pump + 0.03 * (130 - f.accumulator) / 40 + 0.1 * this.fs1(t) / 12.5
      case 'CE': return CE_LEVEL[f.cooler] + 0.3 * slow
      case 'CP': return CP_LEVEL[f.cooler] + 0.02 * slow
      // Efficiency factor: useful hydraulic power over motor power, scaled to the UCI range.
      case 'SE': return 79 * this.ps1(t) * this.fs1(t) / this.eps1(t)
      default: throw new Error(`no simulator model for channel ${channel}`)
    }
  }

  private ps1 (t: number): number {
    return this.pressure(PS1_SET, t, 1)
  }

  private fs1 (t: number): number {
    return this.stepped(WORK_TIMES, FS1_SET, t, this.lag, this.tau * 1.5) * this.flowFactor
  }

  private eps1 (t: number): number {
    return 900 + 10 * this.ps1(t) * (0.85 + 0.15 * this.fs1(t) / 12.5) + 25 * this.f.pump
  }

  /** working pressure: delayed first-order step plus accumulator ringing */
  private pressure (set: number[], t: number, ringScale: number): number {
    const base = this.stepped(WORK_TIMES, set, t, this.lag, this.tau) * this.pressureFactor
    const { i, prev, x } = this.phase(WORK_TIMES, t, this.lag)
    if (x < 0) return base
    return base + ringScale * this.ringAmp * (set[i] - set[prev]) * Math.exp(-x / this.ringTau) * Math.sin(2 * Math.PI * 2.5 * x)
  }

  /** pressure spike behind the directional valve at each switch */
  private spike (t: number): number {
    const { x } = this.phase(WORK_TIMES, t, this.lag)
    return x < 0 ? 0 : 12 * Math.exp(-x / 0.08)
  }

  /** first-order response to stepped set points, delayed by `lag` seconds after each switch */
  private stepped (times: number[], set: number[], t: number, lag: number, tau: number): number {
    const { i, prev, x } = this.phase(times, t, lag)
    if (x < 0) return set[prev]
    return set[i] + (set[prev] - set[i]) * Math.exp(-x / tau)
  }

  private phase (times: number[], t: number, lag: number): { i: number, prev: number, x: number } {
    let i = times.length - 1
    while (i > 0 && t < times[i]) i--
    const prev = (i + times.length - 1) % times.length
    return { i, prev, x: t - times[i] - lag }
  }
}
