import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FeatureExtractor, featureNames, featuresFromWindow, readFeatureSpec } from '../src/features.js'
import { readManifest, DEFAULT_MODEL_DIR } from '../src/package.js'
import { maxAbsDiff, readFixture, toWindow } from './fixture.js'

const TOL = 1e-5
const spec = readFeatureSpec()
const fixture = readFixture()

test('features: the spec names 60 samples and 14 statistics, and the implementation accepts it', () => {
  const names = featureNames(spec)
  assert.equal(names.length, 74)
  assert.equal(names[0], 'x0')
  assert.equal(names[60], 'mean')
  const fx = new FeatureExtractor(spec, ['TS1'])
  assert.equal(fx.width, names.length)
})

test('features: a spec this implementation does not compute is refused', () => {
  const other = structuredClone(spec)
  other.features = other.features.filter(f => f.name !== 'curv')
  assert.throws(() => new FeatureExtractor(other, ['TS1']), { code: 'RS_ERR_MODEL_LOAD' })
  const later = { ...structuredClone(spec), version: spec.version + 1 }
  assert.throws(() => new FeatureExtractor(later, ['TS1']), { code: 'RS_ERR_MODEL_LOAD' })
})

test('features: TypeScript equals Python within 1e-5 on real cycles (every channel, every feature)', () => {
  assert.ok(fixture.cycles.length >= 6)
  const channels = Object.keys(fixture.cycles[0]!.window)
  const fx = new FeatureExtractor(spec, channels)
  for (const c of fixture.cycles) {
    const ts = fx.rawFeatures(toWindow(c.window))
    const d = maxAbsDiff(ts, c.features.flat())
    assert.ok(d <= TOL, `cycle ${c.cycleNumber}: max |TS - Python| = ${d}`)
  }
})

test('features: TypeScript equals Python within 1e-5 on edge-case windows (constant, ramp, ties, noise, spikes)', () => {
  const fx = new FeatureExtractor(spec, ['X'])
  for (const s of fixture.synthetic) {
    const ts = fx.rawFeatures({ X: Float32Array.from(s.samples) })
    const d = maxAbsDiff(ts, s.features)
    assert.ok(d <= TOL, `${s.name}: max |TS - Python| = ${d}`)
  }
})

test('features: the normalised model input equals Python\'s within 1e-5', async () => {
  const manifest = await readManifest(DEFAULT_MODEL_DIR)
  for (const c of fixture.cycles) {
    const d = maxAbsDiff(featuresFromWindow(toWindow(c.window), manifest), c.input.flat())
    assert.ok(d <= TOL, `cycle ${c.cycleNumber}: max |TS - Python| = ${d}`)
  }
})

test('features: a window that does not fit is refused with RS_ERR_MODEL_INPUT', () => {
  const fx = new FeatureExtractor(spec, ['A', 'B'])
  const ok = new Float32Array(60).fill(1)
  assert.doesNotThrow(() => fx.rawFeatures({ A: ok, B: ok }))
  assert.throws(() => fx.rawFeatures({ A: ok }), { code: 'RS_ERR_MODEL_INPUT', message: /channel B is missing/ })
  assert.throws(() => fx.rawFeatures({ A: ok, B: new Float32Array(59) }), { code: 'RS_ERR_MODEL_INPUT', message: /59 samples/ })
  const nan = Float32Array.from(ok); nan[17] = Number.NaN
  assert.throws(() => fx.rawFeatures({ A: ok, B: nan }), { code: 'RS_ERR_MODEL_INPUT', message: /sample 17 is not finite/ })
  const inf = Float32Array.from(ok); inf[0] = Number.POSITIVE_INFINITY
  assert.throws(() => fx.rawFeatures({ A: inf, B: ok }), { code: 'RS_ERR_MODEL_INPUT' })
})

test('features: normalised values are clipped to the spec\'s bound', async () => {
  const manifest = await readManifest(DEFAULT_MODEL_DIR)
  const window = toWindow(fixture.cycles[0]!.window)
  const hot = Float32Array.from(window.TS1!).fill(1e6)
  const x = featuresFromWindow({ ...window, TS1: hot }, manifest)
  const clip = manifest.featureSpec.clip
  assert.equal(Math.max(...x), clip)
  assert.ok(x.every(v => v >= -clip && v <= clip))
})
