import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModel } from '../src/runtime.js'
import { DEFAULT_MODEL_DIR, readManifest, sha256Hex } from '../src/package.js'
import type { HeadOutput, ModelRuntime } from '../src/types.js'
import { maxAbsDiff, readFixture, toWindow, type FixtureCycle } from './fixture.js'

const TOL = 1e-4
const fixture = readFixture()
const scratch = mkdtempSync(join(tmpdir(), 'rs-model-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

/** A copy of the reference package that a test may damage. */
function copyPackage (name: string): string {
  const dir = join(scratch, name)
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true })
  return dir
}

function probsOf (heads: HeadOutput[]): number[] {
  return heads.flatMap(h => h.probs)
}

/** Python's outputs for one fixture cycle, in the same order as probsOf. */
function pythonProbs (c: FixtureCycle, heads: HeadOutput[]): number[] {
  return heads.flatMap(h => c.probs[h.target]!)
}

test('runtime: the fixture belongs to the committed model', async () => {
  const manifest = await readManifest(DEFAULT_MODEL_DIR)
  assert.equal(fixture.model.sha256, manifest.model.sha256, 'fixture is stale: re-run export.py with --fixtures')
})

// every backend passes the same parity test (the TypeScript evaluator has more in ts-backend.test.ts)
const BACKENDS = { node: ['onnxruntime-node', 'cpu'], web: ['onnxruntime-web', 'wasm'], ts: ['ts', 'js'] } as const
for (const backend of ['node', 'web', 'ts'] as const) {
  test(`runtime: ${BACKENDS[backend][0]} equals Python's outputs within 1e-4`, async () => {
    const rt = await loadModel(DEFAULT_MODEL_DIR, { backend })
    try {
      assert.equal(rt.backend, BACKENDS[backend][0])
      assert.equal(rt.provider, BACKENDS[backend][1])
      const targets = rt.manifest.targets
      for (const c of fixture.cycles) {
        const heads = await rt.predict(toWindow(c.window))
        assert.deepEqual(heads.map(h => h.target), targets.map(t => t.name))
        for (const h of heads) {
          const d = maxAbsDiff(h.probs, c.probs[h.target]!)
          assert.ok(d <= TOL, `cycle ${c.cycleNumber} ${h.target}: max |TS - Python| = ${d}`)
          const t = targets.find(x => x.name === h.target)!
          assert.equal(h.classIndex, h.probs.indexOf(Math.max(...h.probs)))
          assert.equal(h.value, t.values[h.classIndex])
          assert.equal(h.label, t.labels[h.classIndex])
          assert.ok(Math.abs(h.probs.reduce((a, b) => a + b, 0) - 1) < 1e-5)
        }
      }
    } finally {
      await rt.close()
    }
  })
}

test('runtime: onnxruntime-node and onnxruntime-web agree within 1e-4, and a batch equals single calls', async () => {
  const node = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  const web = await loadModel(DEFAULT_MODEL_DIR, { backend: 'web' })
  try {
    const windows = fixture.cycles.map(c => toWindow(c.window))
    const [bn, bw] = [await node.predictBatch(windows), await web.predictBatch(windows)]
    assert.equal(bn.length, windows.length)
    for (let i = 0; i < windows.length; i++) {
      const single = await node.predict(windows[i]!)
      assert.ok(maxAbsDiff(probsOf(bn[i]!), probsOf(single)) <= 1e-6, 'batch row differs from a single call')
      assert.ok(maxAbsDiff(probsOf(bn[i]!), probsOf(bw[i]!)) <= TOL, 'node and web differ')
    }
    assert.deepEqual(await node.predictBatch([]), [])
  } finally {
    await node.close()
    await web.close()
  }
})

test('runtime: a batch larger than maxBatch is split and stays in order', async () => {
  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node', maxBatch: 3 })
  try {
    const windows = fixture.cycles.map(c => toWindow(c.window))
    const out = await rt.predictBatch(windows)
    assert.equal(out.length, windows.length)
    for (let i = 0; i < windows.length; i++) {
      assert.ok(maxAbsDiff(probsOf(out[i]!), pythonProbs(fixture.cycles[i]!, out[i]!)) <= TOL, `row ${i}`)
    }
  } finally {
    await rt.close()
  }
})

test('runtime: auto uses onnxruntime-node, and falls back to onnxruntime-web when the native build cannot load', async () => {
  const rt = await loadModel(DEFAULT_MODEL_DIR)
  assert.equal(rt.backend, 'onnxruntime-node')
  await rt.close()
  const fallback = await loadModel(DEFAULT_MODEL_DIR, { backend: 'auto', nodeModule: 'onnxruntime-node-not-installed' })
  try {
    assert.equal(fallback.backend, 'onnxruntime-web')
    const heads = await fallback.predict(toWindow(fixture.cycles[0]!.window))
    assert.ok(maxAbsDiff(heads[0]!.probs, fixture.cycles[0]!.probs.cooler!) <= TOL)
  } finally {
    await fallback.close()
  }
  await assert.rejects(loadModel(DEFAULT_MODEL_DIR, { backend: 'node', nodeModule: 'onnxruntime-node-not-installed' }), { code: 'RS_ERR_MODEL_LOAD' })
})

test('runtime: a model whose sha256 differs from the manifest is refused (RS_ERR_MODEL_HASH)', async () => {
  const dir = copyPackage('tampered')
  const file = join(dir, 'model.onnx')
  const bytes = readFileSync(file)
  bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01
  writeFileSync(file, bytes)
  await assert.rejects(loadModel(dir, { backend: 'web' }), { code: 'RS_ERR_MODEL_HASH' })
  await assert.rejects(loadModel(dir, { backend: 'node' }), { code: 'RS_ERR_MODEL_HASH' })
  await assert.rejects(loadModel(dir, { backend: 'ts' }), { code: 'RS_ERR_MODEL_HASH' })

  const dir2 = copyPackage('wrong-manifest-hash')
  const m = JSON.parse(readFileSync(join(dir2, 'manifest.json'), 'utf8'))
  m.model.sha256 = '0'.repeat(64)
  writeFileSync(join(dir2, 'manifest.json'), JSON.stringify(m))
  await assert.rejects(loadModel(dir2), { code: 'RS_ERR_MODEL_HASH' })
})

test('runtime: a package that cannot load is refused with RS_ERR_MODEL_LOAD', async () => {
  await assert.rejects(loadModel(join(scratch, 'no-such-package')), { code: 'RS_ERR_MODEL_LOAD' })

  // not an ONNX model, but its hash is right: the session itself must fail
  const garbage = copyPackage('garbage')
  const junk = Buffer.from('this is not an onnx model')
  writeFileSync(join(garbage, 'model.onnx'), junk)
  const m = JSON.parse(readFileSync(join(garbage, 'manifest.json'), 'utf8'))
  m.model.sha256 = sha256Hex(junk)
  writeFileSync(join(garbage, 'manifest.json'), JSON.stringify(m))
  await assert.rejects(loadModel(garbage, { backend: 'node' }), { code: 'RS_ERR_MODEL_LOAD' })
  await assert.rejects(loadModel(garbage, { backend: 'web' }), { code: 'RS_ERR_MODEL_LOAD' })

  const escape = copyPackage('escape')
  const m2 = JSON.parse(readFileSync(join(escape, 'manifest.json'), 'utf8'))
  m2.model.file = '../garbage/model.onnx'
  writeFileSync(join(escape, 'manifest.json'), JSON.stringify(m2))
  await assert.rejects(loadModel(escape), { code: 'RS_ERR_MODEL_LOAD', message: /plain file name/ })

  const renamed = copyPackage('renamed-output')
  const m3 = JSON.parse(readFileSync(join(renamed, 'manifest.json'), 'utf8'))
  m3.outputs[0].name = 'logits'
  writeFileSync(join(renamed, 'manifest.json'), JSON.stringify(m3))
  await assert.rejects(loadModel(renamed, { backend: 'node' }), { code: 'RS_ERR_MODEL_LOAD', message: /differ from the manifest/ })
  await assert.rejects(loadModel(renamed, { backend: 'ts' }), { code: 'RS_ERR_MODEL_LOAD', message: /differ from the manifest/ })

  const reshaped = copyPackage('reshaped-output')
  const m4 = JSON.parse(readFileSync(join(reshaped, 'manifest.json'), 'utf8'))
  m4.targets.pop()
  writeFileSync(join(reshaped, 'manifest.json'), JSON.stringify(m4))
  await assert.rejects(loadModel(reshaped, { backend: 'node' }), { code: 'RS_ERR_MODEL_LOAD', message: /targets x classes/ })
  await assert.rejects(loadModel(reshaped, { backend: 'ts' }), { code: 'RS_ERR_MODEL_LOAD', message: /targets x classes/ })

  // the manifest agrees with itself, but not with the network: found by a dry run at load (before,
  // a network with more output rows loaded and a batch was decoded at the wrong stride, each
  // window reading its neighbour's numbers; one with other input nodes failed on every window)
  const fewerRows = copyPackage('fewer-output-rows')
  const m5 = JSON.parse(readFileSync(join(fewerRows, 'manifest.json'), 'utf8'))
  m5.targets.pop()
  m5.outputs[0].shape[1] = m5.targets.length
  writeFileSync(join(fewerRows, 'manifest.json'), JSON.stringify(m5))
  const fewerChannels = copyPackage('fewer-channels')
  const m6 = JSON.parse(readFileSync(join(fewerChannels, 'manifest.json'), 'utf8'))
  m6.channels.pop()
  m6.normalisation.mean.pop()
  m6.normalisation.std.pop()
  m6.input.shape[1] = m6.channels.length
  writeFileSync(join(fewerChannels, 'manifest.json'), JSON.stringify(m6))
  for (const backend of ['node', 'web', 'ts'] as const) {
    await assert.rejects(loadModel(fewerRows, { backend }), { code: 'RS_ERR_MODEL_LOAD', message: /gives 40 values for 2 windows.*means 32/ }, backend)
    await assert.rejects(loadModel(fewerChannels, { backend }), { code: 'RS_ERR_MODEL_LOAD', message: /does not take the manifest's input \[batch, 7, 74\]/ }, backend)
  }
  // and numbers in the manifest that disagree with each other
  const bad = (name: string, edit: (m: any) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const dir = copyPackage(name)
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    edit(m)
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m))
    return dir
  }
  await assert.rejects(loadModel(bad('samples-120', m => { m.samplesPerWindow = 120 })), { code: 'RS_ERR_MODEL_LOAD', message: /samplesPerWindow 120 differs from the feature spec's 60/ })
  await assert.rejects(loadModel(bad('channel-twice', m => { m.channels[1] = m.channels[0] })), { code: 'RS_ERR_MODEL_LOAD', message: /distinct names/ })
  await assert.rejects(loadModel(bad('input-shape', m => { m.input.shape = ['batch', 8] })), { code: 'RS_ERR_MODEL_LOAD', message: /input shape/ })

  const notJson = copyPackage('not-json')
  writeFileSync(join(notJson, 'manifest.json'), '{ "name": ')
  await assert.rejects(loadModel(notJson), { code: 'RS_ERR_MODEL_LOAD', message: /not JSON/ })
})

test('runtime: a bad window is refused and the runtime keeps working', async () => {
  const rt: ModelRuntime = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  try {
    const good = toWindow(fixture.cycles[0]!.window)
    const { SE: _dropped, ...noSE } = good
    await assert.rejects(rt.predict(noSE), { code: 'RS_ERR_MODEL_INPUT', message: /SE is missing/ })
    await assert.rejects(rt.predictBatch([good, { ...good, TS2: new Float32Array(10) }]), { code: 'RS_ERR_MODEL_INPUT' })
    const heads = await rt.predict(good)
    assert.ok(maxAbsDiff(heads[0]!.probs, fixture.cycles[0]!.probs.cooler!) <= TOL)
  } finally {
    await rt.close()
  }
  await assert.rejects(rt.predict(toWindow(fixture.cycles[0]!.window)), { code: 'RS_ERR_MODEL_LOAD', message: /closed/ })
})
