// A package's self-test: its own fixture window (selftest.json) and the outputs the model gave on
// it when the package was signed. After a download the new model must reproduce them on this
// device (same class per head, probabilities within `tolerance`) before it becomes active.
import { rsError } from '../../../common/src/errors.js'
import type { CycleWindow, ModelRuntime } from '../../../inference/src/types.js'

export const SELF_TEST_FILE = 'selftest.json'

export interface SelfTestFixture {
  version: 1
  /** channel -> samples of one cycle window */
  window: Record<string, number[]>
  expected: Array<{ target: string, classIndex: number, probs: number[] }>
  /** largest allowed |probability difference| (node and WASM builds differ by ~1e-6) */
  tolerance: number
}

export async function makeFixture (rt: ModelRuntime, window: CycleWindow, tolerance = 1e-3): Promise<SelfTestFixture> {
  const heads = await rt.predict(window)
  const w: Record<string, number[]> = {}
  for (const ch of rt.manifest.channels) w[ch] = Array.from(window[ch] ?? [])
  return { version: 1, window: w, expected: heads.map(h => ({ target: h.target, classIndex: h.classIndex, probs: h.probs })), tolerance }
}

export function parseFixture (raw: string): SelfTestFixture {
  let f: SelfTestFixture
  try {
    f = JSON.parse(raw) as SelfTestFixture
  } catch (err) {
    throw rsError('RS_ERR_MODEL_SELFTEST', `${SELF_TEST_FILE} is not JSON`, err)
  }
  if (f?.version !== 1 || typeof f.window !== 'object' || !Array.isArray(f.expected) || !(typeof f.tolerance === 'number' && f.tolerance >= 0)) {
    throw rsError('RS_ERR_MODEL_SELFTEST', `${SELF_TEST_FILE} must hold { version: 1, window, expected, tolerance }`)
  }
  return f
}

/** Throws RS_ERR_MODEL_SELFTEST naming the first head that differs. */
export async function runSelfTest (rt: ModelRuntime, f: SelfTestFixture): Promise<void> {
  const window: CycleWindow = {}
  for (const [ch, v] of Object.entries(f.window)) window[ch] = Float32Array.from(v)
  let heads
  try {
    heads = await rt.predict(window)
  } catch (err) {
    throw rsError('RS_ERR_MODEL_SELFTEST', `the fixture window does not run: ${(err as Error).message}`, err)
  }
  if (heads.length !== f.expected.length) throw rsError('RS_ERR_MODEL_SELFTEST', `model gives ${heads.length} heads, the fixture expects ${f.expected.length}`)
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!
    const e = f.expected[i]!
    if (h.target !== e.target || h.classIndex !== e.classIndex) {
      throw rsError('RS_ERR_MODEL_SELFTEST', `${e.target}: expected class ${e.classIndex}, model gives ${h.target} class ${h.classIndex}`)
    }
    const worst = Math.max(...h.probs.map((p, c) => Math.abs(p - (e.probs[c] ?? Number.NaN))))
    if (!(worst <= f.tolerance)) throw rsError('RS_ERR_MODEL_SELFTEST', `${e.target}: probabilities differ by ${worst} (tolerance ${f.tolerance})`)
  }
}
