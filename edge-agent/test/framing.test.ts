import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FrameBatch } from '../../schemas/src/index.js'
import { toFrameBatch } from '../src/framing.js'
import { createSimulator } from '../src/sources/simulator.js'
import { createUciReplay } from '../src/sources/uci-replay.js'
import type { RigSource } from '../src/sources/types.js'
import { int64 as num } from './helpers.js'

// A real epoch time in µs is above 2^32: int64 fields must survive exactly.
const START = 1_763_000_000_000_000

for (const [name, source] of [
  ['simulator', createSimulator({ seed: 5, startUs: START, faults: { cooler: 20 } })],
  ['replay', createUciReplay({ startUs: START, startCycle: 100 })]
] as Array<[string, RigSource]>) {
  test(`framing: a ${name} window round-trips through FrameBatch.decode`, () => {
    for (let k = 0; k < 3; k++) {
      const w = source.next()
      const sentUs = START + k * 1_000_000 + 123_456
      const bytes = toFrameBatch('acme', 'rig-07', 9_000_000_001 + k, w, sentUs, source.profileId)
      const f = FrameBatch.decode(bytes)
      assert.equal(f.tenant, 'acme')
      assert.equal(f.rig, 'rig-07')
      assert.equal(num(f.seq), 9_000_000_001 + k)
      assert.equal(num(f.windowStartUs), w.windowStartUs)
      assert.equal(f.windowUs, 1_000_000)
      assert.equal(f.profile, 'uci-hydraulic/v1')
      assert.equal(num(f.sentUs), sentUs)
      assert.equal(f.cycle, w.cycle)
      assert.ok(f.cycle > 0)
      assert.equal(f.channels.length, w.channels.length)
      f.channels.forEach((c, i) => {
        const src = w.channels[i]
        assert.equal(c.id, src.id)
        assert.equal(c.rateHz, src.rateHz)
        assert.equal(num(c.startUs), src.startUs)
        assert.deepEqual(Array.from(c.samples ?? []), Array.from(src.samples), `${c.id} samples`)
      })
    }
  })
}
