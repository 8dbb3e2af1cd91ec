// The parity fixture written by inference/training/rigstream_train/export.py: real cycles with
// the features Python computed and the outputs of the committed model in Python's onnxruntime.
import { readFileSync } from 'node:fs'
import { repoPath } from '../../common/src/paths.js'
import type { CycleWindow } from '../src/types.js'

export interface FixtureCycle {
  index: number
  cycleNumber: number
  window: Record<string, number[]>
  /** Python features, unnormalised, [channel][feature] */
  features: number[][]
  /** Python model input (normalised, float32), [channel][feature] */
  input: number[][]
  /** Python onnxruntime output per head */
  probs: Record<string, number[]>
}

export interface Fixture {
  model: { name: string, version: string, sha256: string }
  cycles: FixtureCycle[]
  synthetic: Array<{ name: string, samples: number[], features: number[] }>
}

export const FIXTURE_PATH = repoPath('inference', 'test', 'fixtures', 'uci-features-and-outputs.json')

export function readFixture (): Fixture {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Fixture
}

export function toWindow (w: Record<string, number[]>): CycleWindow {
  return Object.fromEntries(Object.entries(w).map(([c, v]) => [c, Float32Array.from(v)]))
}

export function maxAbsDiff (a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}
