// Deferred rollups (plain path, ingest/src/store/rollups.ts): folding after the commit gives the
// same 10 s / minute / hour rollups, to the last digit, as folding inside each batch's
// transaction; a writer that dies before its flush leaves markers that recovery folds exactly
// once, even when the dead writer comes back and flushes late.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { pino } from 'pino'
import { freshDatabase } from '../../tests/support/pg.js'
import { migrate } from '../src/store/migrate.js'
import { createPgFrameWriter, type FrameWriter } from '../src/store/writer.js'
import { createTelemetryQueries } from '../src/store/queries.js'
import { RollupFolder } from '../src/store/rollups.js'
import { validateFrame, type AcceptedFrame } from '../src/validate.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

// 3 rigs x 150 one-second frames over 2.5 minutes, starting on a minute boundary 20 minutes ago
const T0 = (Math.floor(Date.now() / 60_000) * 60 - 20 * 60) * 1_000_000
const CHANNELS = ['PS1', 'FS1', 'TS1', 'CE']

function accepted (rig: string, seq: number): AcceptedFrame {
  const f = frameObject({ rig, seq, windowStartUs: T0 + (seq - 1) * 1_000_000, channels: CHANNELS })
  const v = validateFrame(frameTopic({ rig }), encodeFrame(f), Date.now() * 1000)
  if (!v.ok) throw new Error(v.rejection.detail)
  return v.frame
}

/** the frames in batches of mixed rigs, in a shuffled but fixed order, plus a batch of repeats */
function batches (): AcceptedFrame[][] {
  const all: AcceptedFrame[] = []
  for (let seq = 1; seq <= 150; seq++) for (const rig of ['rig-a', 'rig-b', 'rig-c']) all.push(accepted(rig, seq))
  // late arrivals: the first 30 s of rig-c come last (a replayed spool)
  const late = all.filter(f => f.rig === 'rig-c' && f.seq <= 30)
  const rest = all.filter(f => !(f.rig === 'rig-c' && f.seq <= 30))
  const out: AcceptedFrame[][] = []
  for (let i = 0; i < rest.length; i += 37) out.push(rest.slice(i, i + 37))
  out.push(late)
  out.push(rest.slice(100, 140)) // duplicates of frames already stored
  return out
}

async function db (): Promise<pg.Pool> {
  const url = await freshDatabase('rollup')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 3 })
  cleanups.push(() => pool.end())
  return pool
}

async function rollups (pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of ['frame_rollup_10s', 'frame_rollup_1m', 'frame_rollup_1h']) {
    const r = await pool.query(`SELECT rig_id, channel, (extract(epoch from bucket))::bigint AS bucket, n::text, min::text, max::text, sum::text FROM ${t} ORDER BY 1, 2, 3`)
    out[t] = r.rows
  }
  return out
}

const pending = async (pool: pg.Pool): Promise<number> => Number((await pool.query('SELECT count(*) AS n FROM rollup_pending')).rows[0].n)

async function writeAll (w: FrameWriter, bs: AcceptedFrame[][]): Promise<void> {
  for (const b of bs) await w.write({ frames: b, deadLetters: [] })
}

let reference: Record<string, unknown[]> | undefined
let referencePool: pg.Pool | undefined
async function inlineReference (): Promise<Record<string, unknown[]>> {
  if (reference) return reference
  const pool = await db()
  referencePool = pool
  await writeAll(createPgFrameWriter(pool), batches())
  reference = await rollups(pool)
  assert.equal(await pending(pool), 0, 'the inline writer leaves no markers')
  // 3 rigs x 4 channels x 15 ten-second buckets, 3 minute buckets (2.5 min from a minute boundary)
  assert.equal(reference.frame_rollup_10s.length, 3 * 4 * 15)
  assert.equal(reference.frame_rollup_1m.length, 3 * 4 * 3)
  return reference
}

/** A deferred writer (never flushing by itself) that has written the first half of the batches. */
async function firstHalfWritten (): Promise<{ want: Record<string, unknown[]>, pool: pg.Pool, bs: AcceptedFrame[][], w: FrameWriter, half: number }> {
  const want = await inlineReference()
  const pool = await db()
  const bs = batches()
  const w = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000 }, log })
  cleanups.push(async () => await w.close?.())
  const half = Math.floor(bs.length / 2)
  await writeAll(w, bs.slice(0, half))
  return { want, pool, bs, w, half }
}

test('deferred rollups equal the inline ones exactly, and leave no marker behind', async () => {
  const want = await inlineReference()
  const pool = await db()
  const w = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000 }, log })
  cleanups.push(async () => await w.close?.())
  const bs = batches()
  await writeAll(w, bs.slice(0, 4))
  assert.equal(await pending(pool), 4 * 37, 'one marker per stored frame until the flush')
  await w.flushRollups!()
  assert.equal(await pending(pool), 0)
  await writeAll(w, bs.slice(4))
  await w.flushRollups!()
  assert.deepEqual(await rollups(pool), want)
  assert.equal(await pending(pool), 0)
  const st = w.rollupStats!()!
  assert.equal(st.flushedFrames, 450, 'every frame folded once; the repeats were never stored')
  assert.equal(st.recoveredFrames, 0)

  // and the envelopes the api serves are the same (10 s and 1 min buckets come from the rollups)
  for (const points of [15, 3]) {
    const q = { tenant: 'acme', rig: 'rig-c', channel: 'PS1', fromUs: T0, toUs: T0 + 180_000_000, points }
    const got = await createTelemetryQueries(pool).envelope(q)
    assert.ok(got.t.length >= Math.floor(points * 150 / 180) - 1, `${got.t.length} points`)
    assert.deepEqual(got, await createTelemetryQueries(referencePool!).envelope(q))
  }
})

test('a writer that dies before its flush: recovery folds its frames once, and its late flush adds nothing', async () => {
  const want = await inlineReference()
  const pool = await db()
  const bs = batches()
  // the "dead" writer: stores everything, never flushes (its timer is an hour)
  const dead = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000 }, log })
  await writeAll(dead, bs)
  assert.equal(await pending(pool), 450)
  assert.equal((await rollups(pool)).frame_rollup_10s.length, 0)

  // another writer (a restarted ingest): recovery of markers older than 0 s
  const next = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000, recoverAfterMs: 0 }, log })
  cleanups.push(async () => await next.close?.())
  await next.flushRollups!() // nothing held: runs the recovery
  assert.equal(next.rollupStats!()!.recoveredFrames, 450)
  assert.equal(await pending(pool), 0)
  assert.deepEqual(await rollups(pool), want)

  // the dead writer comes back and flushes what it held: every marker is gone, it claims nothing
  await dead.flushRollups!()
  assert.equal(dead.rollupStats!()!.flushedFrames, 0)
  assert.deepEqual(await rollups(pool), want, 'nothing counted twice')
})

test('recovery within a time budget folds a chunk per call and leaves the rest for the next (the timer gives it half a flush interval)', async () => {
  const want = await inlineReference()
  const pool = await db()
  const dead = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000 }, log })
  await writeAll(dead, batches())
  assert.equal(await pending(pool), 450)
  const folder = new RollupFolder(pool, log, { flushMs: 3_600_000 })
  // budget 0: one transaction of 100 frames, then it stops although markers are left
  assert.equal(await folder.recover(0, 100, 0), 100)
  assert.equal(await pending(pool), 350)
  assert.equal(await folder.recover(0, 100, 0), 100)
  assert.equal(await pending(pool), 250)
  // no budget: every chunk that is left, in one call
  assert.equal(await folder.recover(0, 100), 250)
  assert.equal(await pending(pool), 0)
  await folder.flush() // nothing held: derives the hour that is still open, as the inline reference does
  assert.deepEqual(await rollups(pool), want, 'the same rollups as folding inline')
})

test('recovery and a live writer share the work: frames recovered before the flush are not added again', async () => {
  const { want, pool, bs, w, half } = await firstHalfWritten()
  const other = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000, recoverAfterMs: 0 }, log })
  cleanups.push(async () => await other.close?.())
  await other.flushRollups!() // recovers the first half (the live writer still holds it too)
  const recovered = other.rollupStats!()!.recoveredFrames
  assert.equal(recovered, half * 37)
  await writeAll(w, bs.slice(half))
  await w.flushRollups!()
  assert.equal(w.rollupStats!()!.flushedFrames, 450 - recovered)
  assert.deepEqual(await rollups(pool), want)
  assert.equal(await pending(pool), 0)
})

test('a flush that fails keeps its sums: the next flush adds them, merged with newer frames, exactly once', async () => {
  const { want, pool, bs, w, half } = await firstHalfWritten()
  // the flush's upsert fails (the 10 s rollup table, which every fold writes, is briefly gone):
  // its transaction rolls back
  await pool.query('ALTER TABLE frame_rollup_10s RENAME TO frame_rollup_10s_away')
  await w.flushRollups!()
  assert.equal(w.rollupStats!()!.flushes, 0)
  assert.equal(await pending(pool), half * 37, 'the markers are still there')
  await pool.query('ALTER TABLE frame_rollup_10s_away RENAME TO frame_rollup_10s')
  assert.equal((await pool.query('SELECT count(*)::int AS n FROM frame_rollup_10s')).rows[0].n, 0, 'nothing half-folded')
  // newer frames join the held sums (same buckets), then one flush folds everything
  await writeAll(w, bs.slice(half))
  await w.flushRollups!()
  assert.equal(w.rollupStats!()!.flushedFrames, 450)
  assert.deepEqual(await rollups(pool), want)
  assert.equal(await pending(pool), 0)
})

test('minutes and hours are derived once closed, all rigs at once from the level below (range path); late frames derive theirs again', async () => {
  const want = await inlineReference()
  const pool = await db()
  const HOUR_US = 3_600_000_000
  const hourOfT0 = Math.floor(T0 / HOUR_US) * HOUR_US
  // as if ingest had been running since before T0: no minute from T0 on and no hour from T0's on is derived yet
  await pool.query("UPDATE rollup_derived SET until = to_timestamp($1 / 1e6) WHERE level = 'frame_rollup_1m'", [T0])
  await pool.query("UPDATE rollup_derived SET until = to_timestamp($1 / 1e6) WHERE level = 'frame_rollup_1h'", [hourOfT0])
  let clock = T0 / 1000 + 125_000 // 5 s past the end of the second minute
  const w = createPgFrameWriter(pool, { rollups: 'deferred', rollupOptions: { flushMs: 3_600_000, now: () => clock }, log })
  cleanups.push(async () => await w.close?.())
  const bs = batches()
  const late = bs[bs.length - 2]! // rig-c's first 30 s (minute 0), written after everything else
  await writeAll(w, bs.filter(b => b !== late))
  await w.flushRollups!({ openBuckets: false })
  const minuteKey = (r: unknown): string => { const x = r as { rig_id: number, channel: string, bucket: string }; return `${x.rig_id}/${x.channel}/${x.bucket}` }
  const firstTwo = want.frame_rollup_1m.filter(r => Number((r as { bucket: string }).bucket) < T0 / 1e6 + 120)
  const got = await rollups(pool)
  // minutes 0 and 1 are derived (rig-c's minute 0 without its late frames: not equal to the reference there), minute 2 is open
  assert.deepEqual(got.frame_rollup_1m.map(minuteKey), firstTwo.map(minuteKey), 'the two closed minutes of every rig and channel, not the open one')
  assert.deepEqual(got.frame_rollup_1m.filter(r => !minuteKey(r).startsWith('3/')), firstTwo.filter(r => !minuteKey(r).startsWith('3/')), 'rigs a and b: exactly the reference')
  if (Math.floor((T0 + 120_000_000) / HOUR_US) * HOUR_US === hourOfT0) assert.equal(got.frame_rollup_1h.length, 0, 'the hour is still open')
  assert.equal((await pool.query("SELECT (extract(epoch from until) * 1e6)::bigint AS u FROM rollup_derived WHERE level = 'frame_rollup_1m'")).rows[0].u, String(T0 + 120_000_000))

  // the api's envelopes meanwhile: minute 2 has no row yet and the 10 s buckets T0 + 120 s and
  // + 130 s are still in the writer's memory (T0 + 140 s, more than a bucket ahead of its clock,
  // went at once, as from a rig whose clock is ahead), yet a range ending now reads exactly as with every rollup
  // there (the inline reference; TimescaleDB's aggregates are real-time): rollups up to what is
  // complete, the stored windows after
  assert.equal(got.frame_rollup_10s.filter(r => [120, 130].includes(Number((r as { bucket: string }).bucket) - T0 / 1e6)).length, 0, 'the open 10 s buckets are held in memory')
  const api = createTelemetryQueries(pool, { now: () => clock })
  for (const points of [18, 3]) {
    const q = { tenant: 'acme', rig: 'rig-a', channel: 'PS1', fromUs: T0, toUs: T0 + 180_000_000, points }
    const ref = await createTelemetryQueries(referencePool!).envelope(q)
    assert.equal(ref.t.length, Math.ceil(points * 150 / 180), `${points} points: every bucket with frames`)
    assert.deepEqual(await api.envelope(q), ref, `${points} points`)
  }

  // the late frames of minute 0 arrive: that minute is derived again, by key
  await writeAll(w, [late])
  await w.flushRollups!({ openBuckets: false })
  assert.deepEqual((await rollups(pool)).frame_rollup_1m, firstTwo, 'every rig: exactly the reference for the closed minutes')

  // an hour later every bucket has closed: the timer's kind of flush derives the rest, at most
  // 10 minutes of the minute level per flush (catching up), then the hour
  clock = (hourOfT0 + HOUR_US) / 1000 + 10_000
  for (let i = 0; i < 8; i++) await w.flushRollups!({ openBuckets: false })
  assert.deepEqual(await rollups(pool), want)
  assert.equal((await pool.query("SELECT (extract(epoch from until) * 1e6)::bigint AS u FROM rollup_derived WHERE level = 'frame_rollup_1h'")).rows[0].u, String(hourOfT0 + HOUR_US))
  assert.equal(await pending(pool), 0)
})
