// The worker's pure parts: cycle windows from frames, commit offsets behind holds, the alert rule.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WindowAssembler, type FrameLike } from '../src/worker/assembler.js'
import { OffsetTracker } from '../src/worker/offsets.js'
import { DegradedRule } from '../src/worker/alerts.js'
import type { ClosedWindow, PredictionRow } from '../src/worker/types.js'

const CH = ['A', 'B']
const T0 = 1_795_000_020_000_000 // 20 s into a 60 s slot

function frame (seq: number, second: number, cycle: number, value = second): FrameLike {
  const startUs = T0 + second * 1_000_000
  return { tenant: 't', rig: 'r', seq, windowStartUs: startUs, cycle, channels: [{ id: 'A', samples: [value] }, { id: 'B', samples: [-value] }, { id: 'X', samples: [1, 2, 3] }] }
}

function assembler (out: ClosedWindow[]): WindowAssembler {
  return new WindowAssembler({ channels: CH, samplesPerWindow: 4, framesPerWindow: 4, frameUs: 1_000_000, onWindow: w => out.push(w) })
}

/** A hold factory that counts releases. */
function countedHolds (): { hold: () => { release: () => void }, released: () => number } {
  let n = 0
  return { hold: () => ({ release: () => { n++ } }), released: () => n }
}

test('assembler: frames of one cycle close a window in order; duplicates and other channels are ignored', () => {
  const out: ClosedWindow[] = []
  const a = assembler(out)
  for (let s = 0; s < 4; s++) {
    a.add(frame(s + 1, s, 7), null)
    if (s === 1) assert.equal(a.add(frame(2, 1, 7), null), false, 'a repeated seq is a duplicate')
  }
  assert.equal(out.length, 1)
  assert.deepEqual(Array.from(out[0]!.window.A!), [0, 1, 2, 3])
  assert.deepEqual(Array.from(out[0]!.window.B!), [-0, -1, -2, -3])
  assert.equal(out[0]!.windowStartUs, T0)
  assert.equal(out[0]!.windowEndUs, T0 + 4_000_000)
  assert.deepEqual([out[0]!.firstSeq, out[0]!.lastSeq, out[0]!.cycle], [1, 4, 7])
  assert.deepEqual(a.stats(), { framesIn: 5, duplicates: 1, ignored: 0, windowsClosed: 1, windowsDropped: 0, openWindows: 0 })
})

test('assembler: a gap (next cycle first) drops the partial window and releases its hold; a missing channel drops it too', () => {
  const out: ClosedWindow[] = []
  const a = assembler(out)
  const { hold, released } = countedHolds()
  a.add(frame(1, 0, 1), hold)
  a.add(frame(2, 1, 1), hold)
  a.add(frame(3, 4, 2), hold) // cycle 2 begins: cycle 1 had 2 of 4 frames
  assert.equal(released(), 1)
  assert.equal(a.stats().windowsDropped, 1)
  const bad: FrameLike = { ...frame(4, 5, 2), channels: [{ id: 'A', samples: [1] }] }
  assert.equal(a.add(bad, hold), false)
  assert.equal(released(), 2)
  assert.equal(out.length, 0)
})

test('assembler: a channel given twice does not stand in for a missing one; a window start before 1970 or past 2^53 µs is refused', () => {
  const out: ClosedWindow[] = []
  const a = assembler(out)
  const { hold, released } = countedHolds()
  a.add(frame(1, 0, 1), hold)
  // A twice, B missing: the window must not close with B as zeros
  const twice: FrameLike = { ...frame(2, 1, 1), channels: [{ id: 'A', samples: [1] }, { id: 'A', samples: [2] }] }
  assert.equal(a.add(twice, hold), false)
  assert.equal(released(), 1, 'the open window was dropped and its hold released')
  for (let s = 2; s < 4; s++) a.add(frame(s + 1, s, 1), hold)
  assert.equal(out.length, 0)
  // far-off int64 starts: ignored, the rig's seq not advanced by them
  assert.equal(a.add({ ...frame(10, 0, 2), windowStartUs: -3e17 }, hold), false)
  assert.equal(a.add({ ...frame(11, 0, 2), windowStartUs: { toString: () => '9007199254740993' } }, hold), false)
  for (let s = 0; s < 4; s++) a.add(frame(10 + s, s, 2), hold)
  assert.equal(out.length, 1, 'the seqs of the refused frames were not taken')
  assert.equal(out[0]!.cycle, 2)
  assert.equal(a.stats().ignored, 3)
})

test('assembler: cycle 0 (unknown) aligns windows to the clock: slot floor(t / cycle length)', () => {
  const out: ClosedWindow[] = []
  const a = assembler(out)
  // T0 is 20 s into a 60 s slot, i.e. a multiple of the 4 s window here
  for (let s = 0; s < 6; s++) a.add(frame(s + 1, s, 0), null)
  assert.equal(out.length, 1)
  assert.equal(out[0]!.windowStartUs, Math.floor(T0 / 4_000_000) * 4_000_000)
  assert.equal(a.stats().openWindows, 1)
  assert.equal(a.evictStale(-1), 1, 'a window older than the stale limit is dropped')
})

test('offsets: commit stops at the oldest hold and moves on when it is released', () => {
  const t = new OffsetTracker()
  for (let o = 0n; o < 5n; o++) t.seen('f', 0, o)
  const h1 = t.hold('f', 0, 2n)
  const h2 = t.hold('f', 0, 3n)
  t.seen('f', 1, 10n)
  assert.deepEqual(t.committable(), [{ topic: 'f', partition: 0, offset: 2n }, { topic: 'f', partition: 1, offset: 11n }])
  t.markCommitted('f', 0, 2n)
  t.markCommitted('f', 1, 11n)
  assert.deepEqual(t.committable(), [], 'nothing new')
  h2.release()
  assert.deepEqual(t.committable(), [], 'the older hold still holds')
  h1.release()
  h1.release()
  assert.deepEqual(t.committable(), [{ topic: 'f', partition: 0, offset: 5n }])
  t.retain((_topic, p) => p === 1)
  assert.equal(t.held(), 0)
  assert.deepEqual(t.committable(), [], 'a lost partition is never committed')
})

test('alert rule: one alert at the K-th degraded cycle of a streak; a restart seeded from history raises the same id once', () => {
  const targets = [{ name: 'cooler', values: [3, 20, 100], labels: ['fail', 'reduced', 'full'], healthy: 2 }, { name: 'stable', values: [0, 1], labels: ['s', 'n'], healthy: 0 }]
  const row = (i: number, cooler: number): PredictionRow => ({
    tenant: 't', rig: 'r', windowStartUs: i * 60_000_000, windowEndUs: (i + 1) * 60_000_000, modelVersion: '1', source: 'cloud', firstSeq: 1, lastSeq: 60, producedUs: 0,
    heads: [{ target: 'cooler', classIndex: cooler, value: 0, label: '', probs: [] }, { target: 'stable', classIndex: 1, value: 0, label: '', probs: [] }]
  })
  const classes = [2, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 0]
  const rows = classes.map((c, i) => row(i, c))
  const rule = new DegradedRule({ targets, cycles: 3 })
  const alerts = rule.evaluate(rows)
  assert.deepEqual(alerts.map(a => [a.component, a.timeUs / 60_000_000 - 1, a.severity]), [['cooler', 3, 'CRITICAL'], ['cooler', 11, 'CRITICAL']])
  assert.equal(rule.evaluate(rows).length, 0, 'windows seen already raise nothing')
  // a fresh worker takes over at window 2, seeded with the stored history before it
  const fresh = new DegradedRule({ targets, cycles: 3 })
  const seeds = fresh.needsSeed(rows.slice(2))
  assert.equal(seeds.length, 1)
  fresh.seed('t', 'r', rows[2]!.windowStartUs, classes.slice(0, 2).map(c => [c, 1]))
  assert.deepEqual(fresh.evaluate(rows.slice(2)).map(a => a.id), alerts.map(a => a.id))
})
