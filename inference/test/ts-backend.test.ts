// The TypeScript evaluator (backend 'ts'): the same package, the same outputs as onnxruntime-node
// and as Python's onnxruntime within 1e-4, and a clear refusal of any graph it does not implement.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModel } from '../src/runtime.js'
import { DEFAULT_MODEL_DIR, sha256Hex } from '../src/package.js'
import { compileOnnx, SUPPORTED_OPS } from '../src/ts-backend/evaluator.js'
import type { HeadOutput } from '../src/types.js'
import { maxAbsDiff, readFixture, toWindow } from './fixture.js'

const TOL = 1e-4
const fixture = readFixture()
const scratch = mkdtempSync(join(tmpdir(), 'rs-ts-backend-'))
after(() => rmSync(scratch, { recursive: true, force: true }))
const MODEL = new Uint8Array(readFileSync(join(DEFAULT_MODEL_DIR, 'model.onnx')))

const probsOf = (heads: HeadOutput[]): number[] => heads.flatMap(h => h.probs)

/** model.onnx with the bytes of `from` replaced by `to` (same length) at its first occurrence */
function patched (from: number[], to: number[]): Uint8Array {
  const bytes = MODEL.slice()
  const at = Buffer.from(bytes).indexOf(Buffer.from(from))
  assert.ok(at > 0, 'pattern is in the model')
  bytes.set(to, at)
  return bytes
}

/** a copy of the reference package with another model.onnx (manifest sha256 updated) */
function packageWith (name: string, model: Uint8Array): string {
  const dir = join(scratch, name)
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true })
  writeFileSync(join(dir, 'model.onnx'), model)
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  m.model.sha256 = sha256Hex(model)
  m.model.bytes = model.byteLength
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m))
  return dir
}

test('ts backend: equals Python\'s outputs within 1e-4 on every fixture cycle', async () => {
  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'ts' })
  try {
    assert.equal(rt.backend, 'ts')
    assert.equal(rt.provider, 'js')
    for (const c of fixture.cycles) {
      const heads = await rt.predict(toWindow(c.window))
      assert.deepEqual(heads.map(h => h.target), rt.manifest.targets.map(t => t.name))
      for (const h of heads) {
        const d = maxAbsDiff(h.probs, c.probs[h.target]!)
        assert.ok(d <= TOL, `cycle ${c.cycleNumber} ${h.target}: max |ts - Python| = ${d}`)
        assert.equal(h.classIndex, h.probs.indexOf(Math.max(...h.probs)))
      }
      // Python's own model input, straight into the network
      const [probs] = await rt.runTensor(Float32Array.from(c.input.flat()), 1)
      const want = rt.manifest.targets.flatMap(t => [...c.probs[t.name]!, ...Array<number>(4 - t.values.length).fill(0)])
      assert.ok(maxAbsDiff(probs!, want) <= TOL, `cycle ${c.cycleNumber}: runTensor differs from Python`)
    }
  } finally {
    await rt.close()
  }
})

test('ts backend: equals onnxruntime-node within 1e-4, single windows and a batch', async () => {
  const ts = await loadModel(DEFAULT_MODEL_DIR, { backend: 'ts' })
  const node = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  try {
    const windows = fixture.cycles.map(c => toWindow(c.window))
    const [bt, bn] = [await ts.predictBatch(windows), await node.predictBatch(windows)]
    assert.equal(bt.length, windows.length)
    let worst = 0
    for (let i = 0; i < windows.length; i++) {
      worst = Math.max(worst, maxAbsDiff(probsOf(bt[i]!), probsOf(bn[i]!)))
      assert.ok(maxAbsDiff(probsOf(bt[i]!), probsOf(await ts.predict(windows[i]!))) <= 1e-6, 'batch row differs from a single call')
    }
    assert.ok(worst <= TOL, `max |ts - onnxruntime-node| = ${worst}`)
    // random inputs far outside the training data: still the same function
    const n = 16
    const input = new Float32Array(n * 8 * 74)
    let s = 12345
    for (let i = 0; i < input.length; i++) { s = (s * 1103515245 + 12345) % 2 ** 31; input[i] = (s / 2 ** 31 - 0.5) * 8 }
    const [pt, pn] = [await ts.runTensor(input, n), await node.runTensor(input, n)]
    assert.ok(maxAbsDiff(pt[0]!, pn[0]!) <= TOL, `random batch: max |ts - onnxruntime-node| = ${maxAbsDiff(pt[0]!, pn[0]!)}`)
  } finally {
    await ts.close()
    await node.close()
  }
})

test('ts backend: a graph with an operator it does not implement is refused (RS_ERR_MODEL_UNSUPPORTED), and loadModel falls back to ONNX Runtime', async () => {
  // op_type "Relu" (NodeProto field 4: 0x22, length 4) becomes "Selu", a real ONNX operator
  const selu = patched([0x22, 4, ...Buffer.from('Relu')], [0x22, 4, ...Buffer.from('Selu')])
  assert.throws(() => compileOnnx(selu), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'RS_ERR_MODEL_UNSUPPORTED')
    assert.match(err.message, /operator Selu/)
    assert.match(err.message, new RegExp(SUPPORTED_OPS.join(', ')))
    return true
  })
  const dir = packageWith('selu', selu)
  const warnings: string[] = []
  const log = { warn: (o: { err: string }, msg: string) => { warnings.push(`${msg}: ${o.err}`) }, info: () => {} } as never
  const rt = await loadModel(dir, { backend: 'ts', log })
  try {
    assert.equal(rt.backend, 'onnxruntime-node', 'fell back to ONNX Runtime')
    assert.equal(warnings.length, 1)
    assert.match(warnings[0]!, /does not implement this model.*Selu/)
    const heads = await rt.predict(toWindow(fixture.cycles[0]!.window))
    assert.equal(heads.length, 5)
  } finally {
    await rt.close()
  }
  // 'node' and 'web' never try it; an unsupported graph changes nothing for them
  const node = await loadModel(dir, { backend: 'node' })
  assert.equal(node.backend, 'onnxruntime-node')
  await node.close()
})

test('ts backend: other things it does not implement are refused by name', () => {
  // opset 17 (OperatorSetIdProto version: 0x10 0x11 at the end of the file) -> 11: Softmax semantics differ before 13
  const opset11 = MODEL.slice()
  assert.deepEqual([...opset11.subarray(-2)], [0x10, 0x11])
  opset11[opset11.length - 1] = 11
  assert.throws(() => compileOnnx(opset11), { code: 'RS_ERR_MODEL_UNSUPPORTED', message: /opset 11/ })
  // a node in a custom domain: the Relu node's op_type field followed by domain "x" does not fit
  // in place, so give the first Transpose node domain "com.x" by rewriting its name field
  const name = Buffer.from('/Transpose')
  const at = Buffer.from(MODEL).indexOf(Buffer.concat([Buffer.from([0x1a, name.length]), name]))
  assert.ok(at > 0)
  const domain = MODEL.slice()
  domain.set([0x3a, name.length, ...Buffer.from('com.x.....')], at) // field 7 (domain), same length
  assert.throws(() => compileOnnx(domain), { code: 'RS_ERR_MODEL_UNSUPPORTED', message: /domain com\.x/ })
})

test('ts backend: bytes that are not a model, or a graph that does not run, fail to load (RS_ERR_MODEL_LOAD)', async () => {
  assert.throws(() => compileOnnx(new TextEncoder().encode('this is not an onnx model')), { code: 'RS_ERR_MODEL_LOAD' })
  assert.throws(() => compileOnnx(MODEL.subarray(0, 1000)), { code: 'RS_ERR_MODEL_LOAD' })
  const garbage = packageWith('garbage', new TextEncoder().encode('this is not an onnx model'))
  await assert.rejects(loadModel(garbage, { backend: 'ts' }), { code: 'RS_ERR_MODEL_LOAD' })
  // the first Reshape's target [8, -1, 5, 32] becomes [8, -1, 7, 32]: the dry run at load fails
  const shape = (v: number[]): number[] => v.flatMap(x => [...new Uint8Array(new BigInt64Array([BigInt(x)]).buffer)])
  const reshaped = packageWith('bad-reshape', patched(shape([8, -1, 5, 32]), shape([8, -1, 7, 32])))
  await assert.rejects(loadModel(reshaped, { backend: 'ts' }), { code: 'RS_ERR_MODEL_LOAD', message: /dry run.*Reshape/ })
})

test('ts backend: a bad window is refused and the runtime keeps working', async () => {
  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'ts' })
  const good = toWindow(fixture.cycles[0]!.window)
  await assert.rejects(rt.predict({ ...good, TS2: new Float32Array(10) }), { code: 'RS_ERR_MODEL_INPUT' })
  await assert.rejects(rt.runTensor(new Float32Array(5), 1), { code: 'RS_ERR_MODEL_INPUT' })
  assert.ok(maxAbsDiff((await rt.predict(good))[0]!.probs, fixture.cycles[0]!.probs.cooler!) <= TOL)
  await rt.close()
  await assert.rejects(rt.predict(good), { code: 'RS_ERR_MODEL_LOAD', message: /closed/ })
})
