// Both storage paths with the same frames in: TimescaleDB (PGlite with TimescaleDB 2.23, over the
// wire protocol, tests/support/timescale.ts) and plain PostgreSQL (the embedded PostgreSQL 18 of
// tests/support/pg.ts). Same raw samples and envelopes out, at every envelope level (samples,
// windows, minute and hour rollups), before and after the continuous aggregates are refreshed and
// after the chunks are compressed; and both agree with an envelope computed here from the frames.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { pino } from 'pino'
import { freshDatabase } from '../../tests/support/pg.js'
import { startTimescaleLite, type TimescaleLite } from '../../tests/support/timescale.js'
import { migrate } from '../src/store/migrate.js'
import { createPgFrameWriter } from '../src/store/writer.js'
import { createTelemetryQueries, envelopePlan } from '../src/store/queries.js'
import type { TelemetryQueries } from '../src/store/types.js'
import { validateFrame, type AcceptedFrame } from '../src/validate.js'
import { FRAME_CHANNEL_COLUMNS, frameChannelRows } from '../src/store/copy-text.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

const HOUR = 3_600_000_000
// frames of the last 3 h 20 min, starting off any minute or hour boundary
const T0 = Math.floor(Date.now() * 1000 / HOUR) * HOUR - 3 * HOUR - 20 * 60_000_000 + 17_000_000
const SPAN = 3 * HOUR + 10 * 60_000_000
const STEP = 7_000_000 // one frame every 7 s: windows land unevenly in minutes and hours

function accepted (rig: string, seq: number, startUs: number): AcceptedFrame {
  // distinct, irregular values so a wrong bucket or a lost window changes min, max or mean
  const value = (c: string, i: number): number => c === 'PS1'
    ? Math.fround(20 + ((seq * 7919 + i * 104729) % 1000) / 7.3)
    : Math.fround(30 + ((seq * 31) % 400) / 13)
  const f = frameObject({ rig, seq, windowStartUs: startUs, value, channels: ['PS1', 'TS1'] })
  const v = validateFrame(frameTopic({ rig }), encodeFrame(f), Date.now() * 1000)
  if (!v.ok) throw new Error(v.rejection.detail)
  return v.frame
}

const FRAMES: AcceptedFrame[] = []
for (let k = 0; k * STEP < SPAN; k++) FRAMES.push(accepted('rig-p', k + 1, T0 + k * STEP))
const OTHER = Array.from({ length: 50 }, (_, k) => accepted('rig-o', k + 1, T0 + k * 1_000_000))

interface Path { name: string, pool: pg.Pool, q: TelemetryQueries }
let timescale: Path
let plain: Path
let lite: TimescaleLite

async function load (pool: pg.Pool, rows: 'copy' | 'insert'): Promise<void> {
  const w = createPgFrameWriter(pool, { rows })
  const all = [...FRAMES, ...OTHER]
  for (let i = 0; i < all.length; i += 400) {
    const r = await w.write({ frames: all.slice(i, i + 400), deadLetters: [] })
    assert.equal(r.stored.length, Math.min(400, all.length - i))
  }
}

before(async () => {
  lite = await startTimescaleLite()
  cleanups.push(() => lite.stop())
  // PGlite serves one connection: the pool, migrate and the queries share it
  const tsPool = new pg.Pool({ connectionString: lite.url, max: 1 })
  cleanups.push(() => tsPool.end())
  const tsm = await migrate(tsPool, log)
  assert.equal(tsm.storage, 'timescale')
  const url = await freshDatabase('paths')
  const pm = await migrate(url, log)
  assert.equal(pm.storage, 'plain')
  assert.deepEqual(tsm.applied, pm.applied, 'the same versions on both paths')
  const plainPool = new pg.Pool({ connectionString: url, max: 4 })
  cleanups.push(() => plainPool.end())
  // PGlite behind a socket has no COPY FROM STDIN: the writer's INSERT mode, same rows
  await Promise.all([load(tsPool, 'insert'), load(plainPool, 'copy')])
  timescale = { name: 'timescale', pool: tsPool, q: createTelemetryQueries(tsPool) }
  plain = { name: 'plain', pool: plainPool, q: createTelemetryQueries(plainPool) }
})

/** Every PS1 window of rig-p: start, min, max, mean, n. */
const windows = FRAMES.map(f => { const c = f.channels[0]; return { t: c.startUs, min: c.min, max: c.max, mean: c.mean, n: c.samples.length, samples: c.samples } })

/** The envelope as the contract defines it, computed here from the frames. */
function expectedEnvelope (from: number, to: number, points: number): { t: number[], min: number[], max: number[], mean: number[] } {
  const width = (to - from) / points
  const out = { t: [] as number[], min: [] as number[], max: [] as number[], mean: [] as number[] }
  const acc = new Map<number, { min: number, max: number, s: number, n: number }>()
  const add = (b: number, min: number, max: number, s: number, n: number): void => {
    const a = acc.get(b)
    if (!a) acc.set(b, { min, max, s, n })
    else { a.min = Math.min(a.min, min); a.max = Math.max(a.max, max); a.s += s; a.n += n }
  }
  if (width < 1_000_000) {
    for (const w of windows) {
      w.samples.forEach((v, i) => {
        const t = w.t + i * 10_000
        if (t >= from && t < to) add(Math.min(points - 1, Math.floor((t - from) / width)), v, v, v, 1)
      })
    }
  } else {
    const { bounds: [, m0, m1], level } = envelopePlan(from, to, width)
    const g = level === 'frame_rollup_1h' ? HOUR : level === 'frame_rollup_1m' ? 60_000_000 : 10_000_000
    for (const w of windows) {
      if (w.t < from || w.t >= to) continue
      // inside [m0, m1) a window counts at the start of its rollup granule
      const key = w.t >= m0 && w.t < m1 ? Math.floor(w.t / g) * g : w.t
      add(Math.floor((key - from) / width), w.min, w.max, w.mean * w.n, w.n)
    }
  }
  for (const [b, a] of [...acc].sort((x, y) => x[0] - y[0])) {
    if (b < 0 || b >= points) continue
    out.t.push(Math.round(from + b * width)); out.min.push(a.min); out.max.push(a.max); out.mean.push(a.s / a.n)
  }
  return out
}

// [label, from, to, points]: bucket widths from 10 ms (samples) to 1 s+ (windows), minutes, hours
const CASES: Array<[string, number, number, number]> = [
  ['samples', T0 + 5_123_456, T0 + 65_000_000, 700],
  ['windows', T0 + 13_000_000, T0 + 40 * 60_000_000 + 3_000_000, 400],
  ['10-second rollups', T0 + 2_000_000, T0 + 30 * 60_000_000 + 5_000_000, 70],
  ['minute rollups', T0 + 1_000_000, T0 + SPAN - 9_000_000, 100],
  ['hour rollups', T0 - HOUR, T0 + SPAN + HOUR, 5],
  ['empty range', T0 - 2 * HOUR, T0 - HOUR, 50]
]

async function results (p: Path): Promise<unknown[]> {
  const out: unknown[] = []
  for (const [, from, to, points] of CASES) {
    out.push(await p.q.envelope({ tenant: 'acme', rig: 'rig-p', channel: 'PS1', fromUs: from, toUs: to, points }))
  }
  out.push(await p.q.rawSamples({ tenant: 'acme', rig: 'rig-p', channel: 'PS1', fromUs: T0 + 3_500_000, toUs: T0 + 45_250_000 }))
  out.push(await p.q.envelope({ tenant: 'acme', rig: 'rig-o', channel: 'TS1', fromUs: T0, toUs: T0 + 60_000_000, points: 10 }))
  out.push(await p.q.listRigs('acme'))
  return out
}

test('the envelope levels are the ones each case is meant to exercise', () => {
  assert.deepEqual(CASES.slice(1, 5).map(([, f, t, p]) => envelopePlan(f, t, (t - f) / p).level), ['frame_channels', 'frame_rollup_10s', 'frame_rollup_1m', 'frame_rollup_1h'])
})

test('both paths return what the frames say, at every envelope level', async () => {
  for (const p of [plain, timescale]) {
    for (const [label, from, to, points] of CASES) {
      const got = await p.q.envelope({ tenant: 'acme', rig: 'rig-p', channel: 'PS1', fromUs: from, toUs: to, points })
      const want = expectedEnvelope(from, to, points)
      assert.deepEqual(got.t, want.t, `${p.name} ${label}: bucket times`)
      assert.deepEqual(got.min, want.min, `${p.name} ${label}: min`)
      assert.deepEqual(got.max, want.max, `${p.name} ${label}: max`)
      for (let i = 0; i < want.mean.length; i++) assert.ok(Math.abs(got.mean[i] - want.mean[i]) <= 1e-9 * Math.abs(want.mean[i]), `${p.name} ${label}: mean ${i}`)
      if (label === 'empty range') assert.equal(got.t.length, 0)
      else assert.ok(got.t.length > 0)
    }
    const raw = await p.q.rawSamples({ tenant: 'acme', rig: 'rig-p', channel: 'PS1', fromUs: T0 + 3_500_000, toUs: T0 + 45_250_000 })
    const want: number[] = []
    for (const w of windows) w.samples.forEach((v, i) => { const t = w.t + i * 10_000; if (t >= T0 + 3_500_000 && t < T0 + 45_250_000) want.push(t) })
    assert.deepEqual(raw.t, want, `${p.name}: raw sample times`)
  }
})

test('TimescaleDB and plain PostgreSQL give identical results: real-time, refreshed, compressed', async () => {
  const want = await results(plain)
  const materialised = async (): Promise<number> => {
    const m = await timescale.pool.query<{ s: string, t: string }>("SELECT materialization_hypertable_schema AS s, materialization_hypertable_name AS t FROM timescaledb_information.continuous_aggregates WHERE view_name = 'frame_rollup_10s'")
    const r = await timescale.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${m.rows[0].s}"."${m.rows[0].t}"`)
    return Number(r.rows[0].n)
  }
  assert.equal(await materialised(), 0)
  // nothing materialised yet: the continuous aggregates answer from frame_channels (real time)
  assert.deepEqual(await results(timescale), want, 'real-time aggregation')
  // what the refresh policies do in production (PGlite runs no background jobs)
  await timescale.pool.query("CALL refresh_continuous_aggregate('frame_rollup_10s', NULL, NULL)")
  await timescale.pool.query("CALL refresh_continuous_aggregate('frame_rollup_1m', NULL, NULL)")
  await timescale.pool.query("CALL refresh_continuous_aggregate('frame_rollup_1h', NULL, NULL)")
  assert.ok(await materialised() > 100, 'the 10-second rollup is materialised')
  assert.deepEqual(await results(timescale), want, 'after refresh')
  // what the compression policy does after 7 days
  const c = await timescale.pool.query("SELECT compress_chunk(c) FROM show_chunks('frame_channels') c")
  assert.ok(c.rowCount! >= 1)
  const st = await timescale.pool.query<{ n: string }>("SELECT count(*) AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'frame_channels' AND is_compressed")
  assert.equal(Number(st.rows[0].n), c.rowCount)
  assert.deepEqual(await results(timescale), want, 'after compression')
})

test('TimescaleDB path: hypertable, compression by rig and channel, policies for refresh, compression, retention', async () => {
  const db = timescale.pool
  const h = await db.query("SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = 'frame_channels'")
  assert.deepEqual(h.rows, [{ compression_enabled: true }])
  const seg = await db.query("SELECT attname, segmentby_column_index, orderby_column_index FROM timescaledb_information.compression_settings WHERE hypertable_name = 'frame_channels' ORDER BY attname")
  assert.deepEqual(seg.rows.filter(r => r.segmentby_column_index !== null).map(r => r.attname), ['channel', 'rig_id'])
  const caggs = await db.query("SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates ORDER BY view_name")
  assert.deepEqual(caggs.rows, ['frame_rollup_10s', 'frame_rollup_1h', 'frame_rollup_1m'].map(view_name => ({ view_name, materialized_only: false })))
  const jobs = await db.query<{ proc_name: string, name: string }>(`SELECT proc_name, coalesce(hypertable_name, '') AS name FROM timescaledb_information.jobs
    WHERE proc_name IN ('policy_compression', 'policy_retention', 'policy_refresh_continuous_aggregate') ORDER BY 1, 2`)
  const names = new Map<string, string>((await db.query<{ view_name: string, materialization_hypertable_name: string }>(
    'SELECT view_name, materialization_hypertable_name FROM timescaledb_information.continuous_aggregates')).rows.map(r => [r.materialization_hypertable_name, r.view_name]))
  assert.deepEqual(jobs.rows.map(j => `${j.proc_name}:${names.get(j.name) ?? j.name}`).sort(), [
    'policy_compression:frame_channels',
    'policy_refresh_continuous_aggregate:frame_rollup_10s',
    'policy_refresh_continuous_aggregate:frame_rollup_1h',
    'policy_refresh_continuous_aggregate:frame_rollup_1m',
    'policy_retention:frame_channels',
    'policy_retention:frame_rollup_10s',
    'policy_retention:frame_rollup_1m'
  ])
})

test('dedup by (tenant, rig, seq) holds across a restart on the TimescaleDB path', async () => {
  const again = await createPgFrameWriter(timescale.pool, { rows: 'insert' }).write({ frames: FRAMES.slice(0, 30), deadLetters: [] })
  assert.equal(again.stored.length, 0)
  assert.equal(again.duplicates.length, 30)
  const n = await timescale.pool.query<{ n: string }>("SELECT count(*) AS n FROM frame_channels WHERE rig_id = (SELECT id FROM rigs WHERE rig = 'rig-p')")
  assert.equal(Number(n.rows[0].n), FRAMES.length * 2)
})

test('the COPY text rows of the writer load into the hypertable (PGlite in-process COPY)', async () => {
  // COPY FROM STDIN cannot cross the socket to PGlite; PGlite's own COPY ... FROM '/dev/blob' takes
  // the same text the writer streams, so this checks the format against the hypertable and its
  // continuous aggregates.
  const lite2 = await startTimescaleLite()
  cleanups.push(() => lite2.stop())
  const pool = new pg.Pool({ connectionString: lite2.url, max: 1 })
  await migrate(pool, log)
  const frames = FRAMES.slice(0, 200)
  await pool.query("INSERT INTO rigs (tenant, rig, profile) VALUES ('acme', 'rig-p', 'uci-hydraulic')")
  const id = (await pool.query<{ id: number }>("SELECT id FROM rigs WHERE rig = 'rig-p'")).rows[0].id
  await pool.end() // gives PGlite back to this process
  const text = frames.map(f => frameChannelRows(id, f)).join('')
  await lite2.db.query(`COPY frame_channels (${FRAME_CHANNEL_COLUMNS.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) })
  const viaCopy = await lite2.db.query<{ n: number, s: number }>("SELECT count(*)::int AS n, sum(array_length(samples, 1))::int AS s FROM frame_channels")
  assert.deepEqual(viaCopy.rows, [{ n: 400, s: 200 * 101 }])
  const chunks = await lite2.db.query<{ n: number }>("SELECT count(*)::int AS n FROM show_chunks('frame_channels')")
  assert.ok(chunks.rows[0].n >= 1, 'rows are in hypertable chunks')
  // same samples back as the INSERT-mode database holds for these frames
  const mine = await lite2.db.query<{ samples: number[] }>("SELECT samples FROM frame_channels WHERE channel = 'PS1' ORDER BY start_time")
  const theirs = await plain.pool.query<{ samples: number[] }>(`SELECT samples FROM frame_channels WHERE channel = 'PS1'
    AND rig_id = (SELECT id FROM rigs WHERE rig = 'rig-p') ORDER BY start_time LIMIT 200`)
  assert.deepEqual(mine.rows, theirs.rows)
})
