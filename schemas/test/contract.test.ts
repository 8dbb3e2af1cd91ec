import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { FrameBatch, RigState, Prediction } from '../src/index.js'
import { parseRigTopic, rigTopic, allRigsFilter, cmdTopic } from '../src/topics.js'
import { repoPath } from '../../common/src/paths.js'

test('int64 fields decode as JS numbers', () => {
  const t = 1_795_000_000_123_456
  const bytes = FrameBatch.encode({ tenant: 'a', rig: 'b', seq: 2 ** 40 + 7, windowStartUs: t, channels: [{ id: 'TS1', rateHz: 1, startUs: t, samples: [1.5] }] }).finish()
  const d = FrameBatch.decode(bytes)
  assert.equal(typeof d.seq, 'number')
  assert.equal(d.seq, 2 ** 40 + 7)
  assert.equal(d.windowStartUs, t)
  assert.equal(d.channels[0]!.startUs, t)
})

test('captured sample payloads in schemas/fixtures decode to their recorded JSON', () => {
  const dir = repoPath('schemas', 'fixtures')
  const bins = readdirSync(dir).filter(f => f.endsWith('.bin'))
  assert.ok(bins.length >= 3, 'fixtures present')
  const types: Record<string, { decode (b: Uint8Array): object, toObject (m: never, o: object): object }> = {
    framebatch: FrameBatch as never, rigstate: RigState as never, prediction: Prediction as never
  }
  for (const f of bins) {
    const kind = f.split('.')[0]!
    const type = types[kind]
    assert.ok(type, `known fixture type ${kind}`)
    const msg = type.decode(readFileSync(`${dir}/${f}`))
    const obj = type.toObject(msg as never, { longs: Number, enums: String, defaults: false })
    const expected = JSON.parse(readFileSync(`${dir}/${f.replace(/\.bin$/, '.json')}`, 'utf8'))
    assert.deepEqual(JSON.parse(JSON.stringify(obj)), expected, f)
  }
})

test('topic helpers round-trip and reject wildcards and foreign roots', () => {
  assert.deepEqual(parseRigTopic(rigTopic('acme', 'rig-1', 'frames')), { tenant: 'acme', rig: 'rig-1', kind: 'frames' })
  assert.deepEqual(parseRigTopic(cmdTopic('acme', 'rig-1', 'model')), { tenant: 'acme', rig: 'rig-1', kind: 'cmd', name: 'model' })
  assert.equal(parseRigTopic('rs/v1/+/rig/frames'), null)
  assert.equal(parseRigTopic('rs/v1/a/b/frames/extra'), null)
  assert.equal(parseRigTopic('spBv1.0/a/b'), null)
  assert.equal(allRigsFilter('frames'), 'rs/v1/+/+/frames')
})
