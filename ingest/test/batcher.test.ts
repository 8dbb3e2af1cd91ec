import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Batcher, type BatcherOptions } from '../src/batcher.js'

interface Harness { b: Batcher<number>, flushed: number[][], release: () => void, nextFlush: () => Promise<number[]>, rooms: number }

/** A batcher whose flushes complete only when the test says so (release), so no test depends on timing. */
function harness (o: Partial<BatcherOptions<number>> = {}): Harness {
  const flushed: number[][] = []
  let gate: Array<() => void> = []
  let waiters: Array<(b: number[]) => void> = []
  const h: Harness = {
    flushed,
    rooms: 0,
    release: () => { const g = gate; gate = []; for (const r of g) r() },
    nextFlush: () => new Promise(resolve => waiters.push(resolve)),
    b: new Batcher<number>({
      maxItems: 3,
      maxAgeMs: 5,
      capacity: 6,
      maxBytes: 1e9,
      sizeOf: () => 1,
      flush: async items => {
        flushed.push(items)
        const w = waiters; waiters = []
        for (const r of w) r(items)
        await new Promise<void>(resolve => gate.push(resolve))
      },
      onRoom: () => { h.rooms++ },
      onError: err => { throw err },
      ...o
    })
  }
  return h
}

test('a batch closes at maxItems; the next accumulates while it is written; order is kept', async () => {
  const h = harness({ maxAgeMs: 60_000 })
  const first = h.nextFlush()
  for (const i of [1, 2, 3, 4, 5]) h.b.add(i)
  assert.deepEqual(await first, [1, 2, 3])
  assert.equal(h.b.held, 5)
  const second = h.nextFlush()
  h.b.add(6)
  h.release()
  assert.deepEqual(await second, [4, 5, 6], 'full again when the first finished: written next')
  h.release()
  await h.b.drain()
  assert.equal(h.b.held, 0)
})

test('a batch closes by age even when the timer fires before the clock reaches it', async () => {
  let clock = 1000
  const h = harness({ maxAgeMs: 20, now: () => clock })
  const flushed = h.nextFlush()
  h.b.add(1)
  // the real timer fires after ~20 ms but this clock has not moved: not due yet; it must re-arm
  await new Promise(resolve => setTimeout(resolve, 60))
  assert.deepEqual(h.flushed, [])
  clock += 20
  assert.deepEqual(await flushed, [1])
  h.release()
})

test('capacity: hasRoom is false while capacity items are held, onRoom after a flush frees them', async () => {
  const h = harness({ maxAgeMs: 60_000 })
  const first = h.nextFlush()
  for (let i = 0; i < 6; i++) h.b.add(i)
  await first
  assert.equal(h.b.hasRoom(), false)
  const rooms = h.rooms
  h.release()
  await h.nextFlush()
  assert.ok(h.rooms > rooms)
  assert.equal(h.b.held, 3)
  assert.equal(h.b.hasRoom(), true)
  h.release()
})

test('drain flushes what is buffered without waiting for age and resolves when all is written', async () => {
  const h = harness({ maxAgeMs: 60_000 })
  h.b.add(1)
  h.b.add(2)
  let drained = false
  const d = h.b.drain().then(() => { drained = true })
  assert.deepEqual(h.flushed, [[1, 2]], 'flushed at once')
  assert.equal(drained, false)
  h.release()
  await d
  assert.equal(h.b.held, 0)
})

test('concurrency 2: a second batch starts while the first is written; capacity still counts both', async () => {
  const flushed: number[][] = []
  const gates: Array<() => void> = []
  const b = new Batcher<number>({
    maxItems: 3,
    maxAgeMs: 60_000,
    capacity: 9,
    maxBytes: 1e9,
    concurrency: 2,
    sizeOf: () => 1,
    flush: async items => { flushed.push(items); await new Promise<void>(resolve => gates.push(resolve)) },
    onRoom: () => {},
    onError: err => { throw err }
  })
  for (let i = 1; i <= 8; i++) b.add(i)
  assert.deepEqual(flushed, [[1, 2, 3], [4, 5, 6]], 'two batches in flight, the third waits for a slot')
  assert.equal(b.held, 8)
  b.add(9)
  assert.equal(b.hasRoom(), false, 'capacity counts the buffered and both running batches')
  gates.shift()!() // the FIRST finishes: its slot takes the next full batch
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(flushed[2], [7, 8, 9])
  assert.equal(b.held, 6)
  assert.equal(b.hasRoom(), true)
  const drained = b.drain()
  gates.pop()!() // the third finishes before the second: the batcher does not care, commit.ts orders completions
  gates.pop()!()
  await drained
  assert.equal(b.held, 0)
})

test('concurrency must be an integer >= 1', () => {
  for (const concurrency of [0, 1.5, -1]) {
    assert.throws(() => new Batcher<number>({ maxItems: 1, maxAgeMs: 1, capacity: 1, maxBytes: 1, concurrency, sizeOf: () => 1, flush: async () => {}, onRoom: () => {}, onError: () => {} }), /concurrency must be an integer >= 1/)
  }
})
