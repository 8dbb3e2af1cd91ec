import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requireProfile } from '../../common/src/profile.js'
import { createSimulator, FAULT_LEVELS, type Faults } from '../src/sources/simulator.js'
import { toFrameBatch } from '../src/framing.js'
import type { SourceWindow } from '../src/sources/types.js'

const profile = requireProfile()
const START = 1_700_000_000_000_000

function mean (a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0
  for (let i = from; i < to; i++) s += a[i]
  return s / (to - from)
}

function channel (w: SourceWindow, id: string): Float32Array {
  const c = w.channels.find(x => x.id === id)
  assert.ok(c, `channel ${id}`)
  return c.samples
}

/** window k of a fresh simulator (k windows skipped) */
function windowAt (k: number, faults: Partial<Faults>, seed = 7): SourceWindow {
  const s = createSimulator({ seed, startUs: START, faults })
  for (let i = 0; i < k; i++) s.next()
  return s.next()
}

test('simulator: the same seed gives identical bytes, another seed does not', () => {
  const a = createSimulator({ seed: 42, startUs: START, faults: { valve: 80 } })
  const b = createSimulator({ seed: 42, startUs: START, faults: { valve: 80 } })
  const c = createSimulator({ seed: 43, startUs: START, faults: { valve: 80 } })
  let differs = 0
  for (let k = 0; k < 130; k++) {
    const wa = a.next()
    const bytesA = toFrameBatch('t', 'r', k + 1, wa, 0)
    assert.deepEqual(toFrameBatch('t', 'r', k + 1, b.next(), 0), bytesA, `window ${k}`)
    if (!Buffer.from(toFrameBatch('t', 'r', k + 1, c.next(), 0)).equals(Buffer.from(bytesA))) differs++
  }
  assert.equal(differs, 130, 'a different seed changes every window')
})

test('simulator: 728 samples per window, profile channels and rates, inside the valid ranges, for every fault combination', () => {
  assert.equal(profile.samplesPerSecond, 728)
  let combos = 0
  for (const cooler of FAULT_LEVELS.cooler) {
    for (const valve of FAULT_LEVELS.valve) {
      for (const pump of FAULT_LEVELS.pump) {
        for (const accumulator of FAULT_LEVELS.accumulator) {
          combos++
          const s = createSimulator({ seed: combos, startUs: START, faults: { cooler, valve, pump, accumulator } })
          // one full load cycle plus the first second of the next
          for (let k = 0; k <= profile.cycleSeconds; k++) {
            const w = s.next()
            const where = `cooler=${cooler} valve=${valve} pump=${pump} acc=${accumulator} window ${k}`
            assert.equal(w.windowStartUs, START + k * 1_000_000, where)
            assert.equal(w.windowUs, 1_000_000)
            assert.equal(w.cycle, Math.floor(k / 60) + 1, where)
            assert.deepEqual(w.channels.map(c => c.id), profile.channels.map(c => c.id), where)
            let total = 0
            for (const c of w.channels) {
              const spec = profile.byId.get(c.id)
              assert.ok(spec)
              assert.equal(c.rateHz, spec.rateHz, where)
              assert.equal(c.startUs, w.windowStartUs, where)
              assert.equal(c.samples.length, spec.rateHz, `${where} ${c.id}`)
              total += c.samples.length
              for (const v of c.samples) {
                if (!(Number.isFinite(v) && v >= spec.min && v <= spec.max)) assert.fail(`${where}: ${c.id} sample ${v} outside [${spec.min}, ${spec.max}]`)
              }
            }
            assert.equal(total, 728, where)
          }
        }
      }
    }
  }
  assert.equal(combos, 3 * 4 * 3 * 4)
})

test('simulator: each fault type changes the signals it should', () => {
  // Cooler: temperatures rise and cooling efficiency falls as the cooler fails.
  const cool100 = windowAt(30, { cooler: 100 })
  const cool3 = windowAt(30, { cooler: 3 })
  assert.ok(channel(cool3, 'TS1')[0] - channel(cool100, 'TS1')[0] > 15, 'TS1 much hotter with cooler 3 %')
  assert.ok(channel(cool100, 'CE')[0] - channel(cool3, 'CE')[0] > 20, 'CE much lower with cooler 3 %')
  assert.ok(channel(cool100, 'CP')[0] > channel(cool3, 'CP')[0], 'CP lower with cooler 3 %')
  // Valve: the pressure step at t = 10 s arrives late; 0.05–0.25 s after the switch PS1 is still low.
  const v100 = channel(windowAt(10, { valve: 100 }), 'PS1')
  const v73 = channel(windowAt(10, { valve: 73 }), 'PS1')
  assert.ok(mean(v100, 5, 25) - mean(v73, 5, 25) > 20, `valve lag delays the step (${mean(v100, 5, 25)} vs ${mean(v73, 5, 25)})`)
  assert.ok(Math.abs(mean(v100, 60, 100) - mean(v73, 60, 100)) < 5, 'both settle at the same level')
  // Pump leakage: less flow and a lower efficiency factor under load.
  const p0 = windowAt(15, { pump: 0 })
  const p2 = windowAt(15, { pump: 2 })
  assert.ok(mean(channel(p2, 'FS1')) < 0.92 * mean(channel(p0, 'FS1')), 'FS1 lower with severe leakage')
  assert.ok(channel(p2, 'SE')[0] < channel(p0, 'SE')[0] - 5, 'SE lower with severe leakage')
  // Accumulator: a weak pre-charge leaves more pressure pulsation.
  const spread = (a: Float32Array): number => {
    const m = mean(a)
    return Math.sqrt(mean(Array.from(a, v => (v - m) ** 2)))
  }
  const a130 = channel(windowAt(15, { accumulator: 130 }), 'PS1')
  const a90 = channel(windowAt(15, { accumulator: 90 }), 'PS1')
  assert.ok(spread(a90) > 1.5 * spread(a130), `pulsation ${spread(a90)} vs ${spread(a130)}`)
})

test('simulator: setFaults at run time; temperatures drift to the new level and the stable flag follows', () => {
  const s = createSimulator({ seed: 3, startUs: START })
  for (let k = 0; k < 5; k++) s.next()
  const before = channel(s.next(), 'TS1')[0]
  assert.deepEqual(s.currentLabels(), { cooler: 100, valve: 100, pump: 0, accumulator: 130, stable: 0 })
  s.setFaults({ cooler: 3 })
  assert.equal(s.faults().cooler, 3)
  assert.equal(s.currentLabels().stable, 1, 'not yet stable right after a change')
  const right = s.next()
  assert.ok(Math.abs(channel(right, 'TS1')[0] - before) < 1, 'the tank does not jump')
  assert.ok(channel(right, 'CE')[0] < 25, 'cooler efficiency changes at once')
  for (let k = 0; k < 1500; k++) s.next()
  assert.ok(channel(s.next(), 'TS1')[0] > 53, 'after ~25 min the tank is near the new equilibrium')
  assert.equal(s.currentLabels().stable, 0)
  assert.throws(() => s.setFaults({ valve: 75 as 73 }), { code: 'RS_ERR_CONFIG' })
  assert.throws(() => createSimulator({ seed: 1, startUs: START, faults: { pump: 3 as 2 } }), { code: 'RS_ERR_CONFIG' })
  assert.throws(() => createSimulator({ seed: 1, startUs: START, faults: { leak: 1 } as unknown as Faults }), /leak/)
})
