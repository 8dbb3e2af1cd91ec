// The contract every Spool implementation passes (CONVENTIONS.md point 8). Issue 4's disk spool
// runs this same suite; its own file adds what only a durable spool can show (restart, crash).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Spool, SpoolBounds, SpoolFrame } from '../src/spool/types.js'

export type SpoolFactory = (bounds?: SpoolBounds) => Promise<Spool>

const frame = (seq: number, size = 10): SpoolFrame => ({ seq, payload: new Uint8Array(size).fill(seq & 0xff) })

/** A payload whose length and bytes follow from the seq (the crash tests check what comes back). */
export function payloadFor (seq: number): Uint8Array {
  const p = new Uint8Array(50 + (seq % 200))
  for (let i = 0; i < p.length; i++) p[i] = (seq * 31 + i) & 0xff
  return p
}

function drain (s: Spool): number[] {
  const out: number[] = []
  for (let f = s.take(); f; f = s.take()) out.push(f.seq)
  return out
}

export function spoolContract (name: string, make: SpoolFactory): void {
  test(`${name}: frames come out in seq order, once, and leave on ack`, async () => {
    const s = await make()
    for (let seq = 1; seq <= 5; seq++) assert.equal(await s.append(frame(seq)), 0)
    assert.deepEqual(s.stats(), { frames: 5, bytes: 50, unsent: 5, inflight: 0, dropped: 0 })
    const first = s.take()
    assert.equal(first?.seq, 1)
    assert.deepEqual(Array.from(first?.payload ?? []), Array.from(frame(1).payload))
    assert.deepEqual(drain(s), [2, 3, 4, 5])
    assert.equal(s.take(), undefined)
    assert.deepEqual(s.stats(), { frames: 5, bytes: 50, unsent: 0, inflight: 5, dropped: 0 })
    await s.ack(1)
    await s.ack(3) // out of order
    await s.ack(3) // repeated: ignored
    await s.ack(99) // unknown: ignored
    assert.deepEqual(s.stats(), { frames: 3, bytes: 30, unsent: 0, inflight: 3, dropped: 0 })
    await s.append(frame(6))
    assert.deepEqual(drain(s), [6])
    await s.close()
  })

  test(`${name}: a released frame is taken again before newer ones; rewind resends all in flight`, async () => {
    const s = await make()
    for (let seq = 1; seq <= 4; seq++) await s.append(frame(seq))
    assert.deepEqual(drain(s), [1, 2, 3, 4])
    s.release(2)
    await s.append(frame(5))
    assert.deepEqual(drain(s), [2, 5])
    await s.ack(1)
    s.rewind()
    assert.deepEqual(s.stats().inflight, 0)
    assert.deepEqual(drain(s), [2, 3, 4, 5])
    await s.close()
  })

  test(`${name}: appending an old seq is refused`, async () => {
    const s = await make()
    await s.append(frame(10))
    await assert.rejects(s.append(frame(10)))
    await assert.rejects(s.append(frame(3)))
    await s.close()
  })

  test(`${name}: when full, the oldest unsent frames are dropped and counted; in-flight ones are kept`, async () => {
    const s = await make({ maxFrames: 4 })
    for (let seq = 1; seq <= 4; seq++) await s.append(frame(seq))
    assert.equal(s.take()?.seq, 1) // 1 in flight
    assert.equal(await s.append(frame(5)), 1) // drops 2
    assert.equal(await s.append(frame(6)), 1) // drops 3
    assert.deepEqual(s.stats(), { frames: 4, bytes: 40, unsent: 3, inflight: 1, dropped: 2 })
    assert.deepEqual(drain(s), [4, 5, 6])
    await s.ack(1)
    for (const seq of [4, 5, 6]) await s.ack(seq)
    assert.equal(s.stats().frames, 0)
    await s.close()

    const b = await make({ maxBytes: 100 })
    for (let seq = 1; seq <= 3; seq++) await b.append(frame(seq, 40))
    assert.equal(b.stats().dropped, 1, 'the byte bound drops too')
    assert.deepEqual(drain(b), [2, 3])
    await b.close()
  })

  test(`${name}: many frames stay in order through acks (compaction)`, async () => {
    const s = await make({ maxFrames: 100_000 })
    let acked = 0
    for (let seq = 1; seq <= 5000; seq++) {
      await s.append(frame(seq, 4))
      if (seq % 3 === 0) {
        const taken = drain(s)
        for (const t of taken) { await s.ack(t); acked++ }
      }
    }
    assert.deepEqual(drain(s), [4999, 5000])
    assert.equal(acked, 4998)
    assert.equal(s.stats().frames, 2)
    await s.close()
  })
}
