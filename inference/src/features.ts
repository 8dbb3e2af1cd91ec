// Node features of one cycle window: the serving implementation of inference/feature-spec.json.
// The training mirror is inference/training/rigstream_train/features.py; parity is tested on
// fixtures (inference/test/features.test.ts). Samples are float32 (as on the wire); all
// arithmetic is float64; the model input is float32.
import { readFileSync } from 'node:fs'
import { repoPath } from '../../common/src/paths.js'
import { rsError } from '../../common/src/errors.js'
import type { CycleWindow } from './types.js'

export interface FeatureSpec {
  id: string
  version: number
  samplesPerWindow: number
  rateHz: number
  features: Array<{ name: string, count?: number, doc: string }>
  /** normalised features are clipped to [-clip, clip] */
  clip: number
}

/** The statistics this implementation computes, in spec order, after the raw samples. */
const STATS = ['mean', 'std', 'min', 'max', 'first', 'last', 'slope', 'q10', 'q25', 'q50', 'q75', 'q90', 'mad1', 'curv'] as const
const QUANTILES = [0.10, 0.25, 0.50, 0.75, 0.90] as const
const SPEC_ID = 'rigstream-node-features'
const SPEC_VERSION = 1

export const FEATURE_SPEC_PATH = repoPath('inference', 'feature-spec.json')

export function readFeatureSpec (path: string = FEATURE_SPEC_PATH): FeatureSpec {
  return JSON.parse(readFileSync(path, 'utf8')) as FeatureSpec
}

export function featureNames (spec: FeatureSpec): string[] {
  const names: string[] = []
  for (const f of spec.features) {
    if (f.count) for (let i = 0; i < f.count; i++) names.push(`${f.name}${i}`)
    else names.push(f.name)
  }
  return names
}

/** Throws RS_ERR_MODEL_LOAD when a spec asks for features this implementation does not compute. */
export function checkFeatureSpec (spec: FeatureSpec): void {
  const n = spec.samplesPerWindow
  const expected = [...Array.from({ length: n }, (_, i) => `x${i}`), ...STATS]
  const got = featureNames(spec)
  if (spec.id !== SPEC_ID || spec.version !== SPEC_VERSION || got.join(',') !== expected.join(',')) {
    throw rsError('RS_ERR_MODEL_LOAD', `feature spec ${spec.id} v${spec.version} (${got.length} features) is not the one implemented here (${SPEC_ID} v${SPEC_VERSION})`)
  }
}

/** Normalisation per channel and feature: z = clip((f - mean) / std), row-major [channel][feature]. */
export interface Normalisation { mean: number[][], std: number[][] }

/**
 * Feature extraction for one model: channel order, window length and normalisation fixed at
 * construction; every constant of the hot path is precomputed here.
 */
export class FeatureExtractor {
  readonly channels: readonly string[]
  readonly samples: number
  /** features per node */
  readonly width: number
  private readonly tc: Float64Array
  private readonly tcNorm: number
  private readonly p2: Float64Array
  private readonly p2Norm: number
  private readonly sorted: Float64Array
  private readonly raw: Float64Array
  private readonly mean: Float64Array
  private readonly std: Float64Array
  private readonly clip: number

  constructor (spec: FeatureSpec, channels: readonly string[], norm?: Normalisation) {
    checkFeatureSpec(spec)
    const n = spec.samplesPerWindow
    this.channels = Object.freeze([...channels])
    this.samples = n
    this.width = n + STATS.length
    this.tc = new Float64Array(n)
    this.p2 = new Float64Array(n)
    let u2mean = 0
    for (let t = 0; t < n; t++) {
      this.tc[t] = t - (n - 1) / 2
      const u = this.tc[t] / n
      this.p2[t] = u * u
      u2mean += u * u
    }
    u2mean /= n
    let tcn = 0; let p2n = 0
    for (let t = 0; t < n; t++) {
      this.p2[t] -= u2mean
      tcn += this.tc[t] * this.tc[t]
      p2n += this.p2[t] * this.p2[t]
    }
    this.tcNorm = tcn
    this.p2Norm = p2n
    this.sorted = new Float64Array(n)
    this.raw = new Float64Array(this.width)
    const size = channels.length * this.width
    this.mean = new Float64Array(size)
    this.std = new Float64Array(size).fill(1)
    this.clip = spec.clip
    if (!(this.clip > 0)) throw rsError('RS_ERR_MODEL_LOAD', 'feature spec has no positive clip')
    if (norm) {
      for (let c = 0; c < channels.length; c++) {
        const m = norm.mean[c]; const s = norm.std[c]
        if (m?.length !== this.width || s?.length !== this.width) throw rsError('RS_ERR_MODEL_LOAD', `normalisation of channel ${channels[c]} has the wrong width`)
        for (let k = 0; k < this.width; k++) {
          this.mean[c * this.width + k] = m[k]!
          this.std[c * this.width + k] = s[k]!
        }
      }
    }
  }

  /** Unnormalised features of one channel's samples into out[offset .. offset + width). */
  channel (x: ArrayLike<number>, out: Float64Array, offset = 0): void {
    const n = this.samples
    const s = this.sorted
    let sum = 0; let st = 0; let sp = 0; let mad = 0
    for (let i = 0; i < n; i++) {
      const v = x[i]!
      out[offset + i] = v
      s[i] = v
      sum += v
      st += v * this.tc[i]!
      sp += v * this.p2[i]!
      if (i > 0) mad += Math.abs(v - x[i - 1]!)
    }
    const mean = sum / n
    let ss = 0
    for (let i = 0; i < n; i++) { const d = x[i]! - mean; ss += d * d }
    s.sort()
    let k = offset + n
    out[k++] = mean
    out[k++] = Math.sqrt(ss / n)
    out[k++] = s[0]!
    out[k++] = s[n - 1]!
    out[k++] = x[0]!
    out[k++] = x[n - 1]!
    out[k++] = st / this.tcNorm
    for (const p of QUANTILES) {
      const h = (n - 1) * p
      const lo = Math.floor(h)
      const hi = Math.min(lo + 1, n - 1)
      out[k++] = s[lo]! + (h - lo) * (s[hi]! - s[lo]!)
    }
    out[k++] = mad / (n - 1)
    out[k++] = sp / this.p2Norm
  }

  /** Checks one window: every channel present with `samples` finite values (RS_ERR_MODEL_INPUT). */
  check (window: CycleWindow): void {
    for (const c of this.channels) {
      const x = window[c]
      if (!x) throw rsError('RS_ERR_MODEL_INPUT', `channel ${c} is missing`)
      if (x.length !== this.samples) throw rsError('RS_ERR_MODEL_INPUT', `channel ${c} has ${x.length} samples, expected ${this.samples}`)
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i])) throw rsError('RS_ERR_MODEL_INPUT', `channel ${c} sample ${i} is not finite`)
      }
    }
  }

  /** Unnormalised features of a window, [channels x width] float64. */
  rawFeatures (window: CycleWindow): Float64Array {
    this.check(window)
    const out = new Float64Array(this.channels.length * this.width)
    for (let c = 0; c < this.channels.length; c++) this.channel(window[this.channels[c]!]!, out, c * this.width)
    return out
  }

  /** Normalised model input of one window into out[offset .. offset + channels*width). */
  write (window: CycleWindow, out: Float32Array, offset = 0): void {
    this.check(window)
    const w = this.width
    for (let c = 0; c < this.channels.length; c++) {
      this.channel(window[this.channels[c]!]!, this.raw, 0)
      const base = c * w
      for (let k = 0; k < w; k++) {
        const z = (this.raw[k]! - this.mean[base + k]!) / this.std[base + k]!
        out[offset + base + k] = z > this.clip ? this.clip : z < -this.clip ? -this.clip : z
      }
    }
  }
}

const extractors = new WeakMap<object, FeatureExtractor>()

/**
 * Model input of one window: Float32Array [channels x features], normalised with the model's
 * constants. `model` is a manifest (or anything with featureSpec, channels, normalisation).
 */
export function featuresFromWindow (window: CycleWindow, model: { featureSpec: FeatureSpec, channels: string[], normalisation?: Normalisation }): Float32Array {
  let fx = extractors.get(model)
  if (!fx) { fx = new FeatureExtractor(model.featureSpec, model.channels, model.normalisation); extractors.set(model, fx) }
  const out = new Float32Array(fx.channels.length * fx.width)
  fx.write(window, out)
  return out
}
