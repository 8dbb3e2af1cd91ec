// The PostgreSQL store on a real PostgreSQL (tests/support/pg.ts): migrations, dedup, COPY, queries.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { pino } from 'pino'
import { freshDatabase } from '../../tests/support/pg.js'
import { migrate, listMigrations, MIGRATIONS_DIR } from '../src/store/migrate.js'
import { createPgFrameWriter } from '../src/store/writer.js'
import { createTelemetryQueries } from '../src/store/queries.js'
import { validateFrame, type AcceptedFrame } from '../src/validate.js'
import { deadLetterFrom } from '../src/dead-letter.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const pools: pg.Pool[] = []
after(async () => { for (const p of pools) await p.end() })

async function db (): Promise<{ url: string, pool: pg.Pool }> {
  const url = await freshDatabase('ingest')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  pools.push(pool)
  return { url, pool }
}

const BASE_US = Math.floor(Date.now() / 1000) * 1_000_000 - 3_600_000_000

function accepted (rig: string, seq: number, value?: (c: string, i: number) => number): AcceptedFrame {
  const f = frameObject({ rig, seq, windowStartUs: BASE_US + seq * 1_000_000, value })
  const v = validateFrame(frameTopic({ rig }), encodeFrame(f), Date.now() * 1000)
  if (!v.ok) throw new Error(v.rejection.detail)
  return v.frame
}

/** Plain path: each rollup table equals the same aggregate recomputed from frame_channels (exactly). */
async function assertRollupsMatchFrames (pool: pg.Pool): Promise<void> {
  for (const [table, width] of [['frame_rollup_10s', '10 seconds'], ['frame_rollup_1m', '1 minute'], ['frame_rollup_1h', '1 hour']]) {
    const diff = await pool.query(`
      WITH want AS (SELECT rig_id, channel, date_bin('${width}', start_time, timestamptz '2000-01-01 00:00:00+00') AS bucket,
                           sum(n)::bigint AS n, min(min) AS min, max(max) AS max, sum((mean * n)::numeric) AS sum
                    FROM frame_channels GROUP BY 1, 2, 3)
      (SELECT * FROM want EXCEPT SELECT * FROM ${table}) UNION ALL (SELECT * FROM ${table} EXCEPT SELECT * FROM want)`)
    assert.equal(diff.rowCount, 0, `${table} differs from frame_channels in ${diff.rowCount} rows`)
    assert.ok(await count(pool, `SELECT count(*) AS n FROM ${table}`) > 0)
  }
}

async function count (pool: pg.Pool, sql: string): Promise<number> {
  return Number((await pool.query<{ n: string }>(sql)).rows[0].n)
}

test('migrations run once, are idempotent, and never drop data', async () => {
  const url = await freshDatabase('ingest')
  const first = await migrate(url, log)
  assert.deepEqual(first.applied, listMigrations().map(m => m.version))
  const second = await migrate(url, log)
  assert.deepEqual(second.applied, [])
  assert.equal(second.current, first.current)
  // concurrent runs (two ingest instances starting together) serialise on the advisory lock
  const url2 = await freshDatabase('ingest')
  const both = await Promise.all([migrate(url2, log), migrate(url2, log)])
  assert.equal(both[0].applied.length + both[1].applied.length, listMigrations().length)
  assert.equal(first.storage, 'plain')
  for (const m of [...listMigrations(MIGRATIONS_DIR, 'plain'), ...listMigrations(MIGRATIONS_DIR, 'timescale')]) {
    // the one DELETE allowed moves rows between partitions in one statement (DELETE ... RETURNING feeding an INSERT)
    const sql = readFileSync(`${MIGRATIONS_DIR}/${m.file}`, 'utf8').replace(/--.*$/gm, '')
      .replace(/WITH moved AS \(DELETE FROM \w+ WHERE [^)]* RETURNING \*\) INSERT INTO %I SELECT \* FROM moved/g, '')
    assert.doesNotMatch(sql, /\b(DROP\s+(TABLE|COLUMN|SCHEMA|MATERIALIZED)|TRUNCATE|DELETE\s+FROM|drop_chunks)\b/i, `${m.file} must not drop data`)
  }
})

test('dedup holds across two concurrent writers and across a restart', async () => {
  const { url, pool } = await db()
  const poolB = new pg.Pool({ connectionString: url, max: 2 })
  pools.push(poolB)
  const a = createPgFrameWriter(pool)
  const b = createPgFrameWriter(poolB)
  const rigs = ['rig-a', 'rig-b', 'rig-c']
  const frames = (from: number, to: number): AcceptedFrame[] => rigs.flatMap(r => Array.from({ length: to - from + 1 }, (_, i) => accepted(r, from + i)))
  const chunks = (fs: AcceptedFrame[], n: number): AcceptedFrame[][] => Array.from({ length: Math.ceil(fs.length / n) }, (_, i) => fs.slice(i * n, i * n + n))
  // A writes seq 1..60, B writes 20..80, in batches, at the same time
  const run = async (w: typeof a, fs: AcceptedFrame[]): Promise<number[]> => {
    const stored: number[] = []
    for (const c of chunks(fs, 25)) stored.push((await w.write({ frames: c, deadLetters: [] })).stored.length)
    return stored
  }
  const [sa, sb] = await Promise.all([run(a, frames(1, 60)), run(b, frames(20, 80))])
  const total = [...sa, ...sb].reduce((x, y) => x + y, 0)
  assert.equal(total, 80 * 3, 'every (rig, seq) stored exactly once between the two writers')
  assert.equal(await count(pool, 'SELECT count(*) AS n FROM frame_keys'), 240)
  assert.equal(await count(pool, 'SELECT count(*) AS n FROM frame_channels'), 240 * 17)
  const rigsRows = await createTelemetryQueries(pool).listRigs('acme')
  assert.deepEqual(rigsRows.map(r => [r.rig, r.frames, r.lastSeq]), [['rig-a', 80, 80], ['rig-b', 80, 80], ['rig-c', 80, 80]])
  // the rollups the two writers maintained hold every stored window exactly once
  await assertRollupsMatchFrames(pool)

  // "restart": a brand-new pool and writer (no in-memory state) sees them all as duplicates
  const poolC = new pg.Pool({ connectionString: url, max: 1 })
  pools.push(poolC)
  const again = await createPgFrameWriter(poolC).write({ frames: frames(75, 85), deadLetters: [] })
  assert.equal(again.duplicates.length, 6 * 3)
  assert.equal(again.stored.length, 5 * 3)
  assert.deepEqual(again.stored.map(f => f.seq).sort((x, y) => x - y), [81, 81, 81, 82, 82, 82, 83, 83, 83, 84, 84, 84, 85, 85, 85])
  assert.equal(await count(pool, 'SELECT count(*) AS n FROM frame_channels'), 255 * 17)
  await assertRollupsMatchFrames(pool)
})

for (const mode of ['copy', 'copy-binary', 'insert'] as const) {
test(`${mode === 'copy' ? 'COPY' : mode === 'copy-binary' ? 'binary COPY' : 'the INSERT mode'} round-trips real[] exactly, including extreme floats`, async () => {
  const { pool } = await db()
  const specials = [0, -0, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45,
    -1.401298464324817e-45, Math.fround(0.1), Math.fround(Math.PI), Math.fround(-1e-30), Math.fround(123456.789), 16777217, -1]
  const f = accepted('rig-x', 1)
  const ps1 = f.channels.find(c => c.id === 'PS1')!
  // bypass validation (ranges) on purpose: this checks the storage encoding only
  ps1.samples = Array.from({ length: 100 }, (_, i) => Math.fround(specials[i % specials.length]))
  ps1.min = Math.min(...ps1.samples)
  ps1.max = Math.max(...ps1.samples)
  ps1.mean = 1e-3
  await createPgFrameWriter(pool, { rows: mode }).write({ frames: [f], deadLetters: [] })
  const rows = await createTelemetryQueries(pool).recentFrames({ tenant: 'acme', rig: 'rig-x', channels: ['PS1'] })
  assert.equal(rows.length, 1)
  const back = rows[0].samples
  assert.equal(back.length, 100)
  for (let i = 0; i < 100; i++) assert.ok(Object.is(back[i], ps1.samples[i]), `sample ${i}: wrote ${ps1.samples[i]}, read ${back[i]}`)
  assert.equal(rows[0].min, -3.4028234663852886e38)
  assert.equal(rows[0].max, 3.4028234663852886e38)
  assert.equal(rows[0].mean, 1e-3)
})
}

test('binary COPY stores the same rows as text COPY, to the last bit and microsecond', async () => {
  const dump = async (p: pg.Pool): Promise<unknown[]> => (await p.query(`SELECT rig_id, channel, (extract(epoch from start_time) * 1000000)::bigint AS us, seq, rate_hz::text,
    n, min::text, max::text, mean::text, samples::text FROM frame_channels ORDER BY 1, 2, 3, 4`)).rows
  // odd start times (sub-millisecond)
  const fs = Array.from({ length: 30 }, (_, k) => accepted(`rig-${k % 3}`, k + 1))
  for (const f of fs) for (const c of f.channels) c.startUs += 123 + f.seq
  const out: unknown[][] = []
  for (const mode of ['copy', 'copy-binary'] as const) {
    const { pool } = await db()
    await createPgFrameWriter(pool, { rows: mode }).write({ frames: fs, deadLetters: [] })
    out.push(await dump(pool))
  }
  assert.equal(out[0].length, 30 * 17)
  assert.deepEqual(out[1], out[0])
})

test('queries: recent frames, raw samples over window boundaries, envelope', async () => {
  const { pool } = await db()
  const w = createPgFrameWriter(pool)
  // PS1 sample i of seq s = s + i / 100, so every value is distinct and predictable
  const value = (c: string, i: number): number => c === 'PS1' ? Math.fround(((i * 37) % 100) + 0.25) : 5
  const frames = Array.from({ length: 10 }, (_, k) => accepted('rig-q', k + 1, value))
  await w.write({ frames: frames.slice(0, 4), deadLetters: [] })
  await w.write({ frames: frames.slice(4), deadLetters: [] })
  const q = createTelemetryQueries(pool)

  const recent = await q.recentFrames({ tenant: 'acme', rig: 'rig-q', limit: 34 })
  assert.equal(recent.length, 34)
  assert.deepEqual([...new Set(recent.map(r => r.seq))], [10, 9], 'newest first')
  assert.equal(recent[0].channel, 'PS1', 'profile channel order')
  assert.equal(recent[0].startUs, BASE_US + 10_000_000)
  assert.equal((await q.recentFrames({ tenant: 'acme', rig: 'rig-q', channels: ['TS1'], sinceUs: BASE_US + 8_000_000 })).length, 3)
  assert.deepEqual(await q.recentFrames({ tenant: 'acme', rig: 'nope' }), [])

  // expected samples, computed here from what was written
  const all: Array<[number, number]> = []
  for (const f of frames) {
    const c = f.channels.find(x => x.id === 'PS1')!
    c.samples.forEach((v, i) => all.push([c.startUs + i * 10_000, v]))
  }
  const from = BASE_US + 3_500_000
  const to = BASE_US + 6_250_000
  const raw = await q.rawSamples({ tenant: 'acme', rig: 'rig-q', channel: 'PS1', fromUs: from, toUs: to })
  const want = all.filter(([t]) => t >= from && t < to)
  assert.equal(raw.t.length, 275)
  assert.deepEqual(raw.t, want.map(x => x[0]))
  assert.deepEqual(raw.v, want.map(x => x[1]))

  // sample-resolution envelope (buckets narrower than a window): exact per bucket
  const env = await q.envelope({ tenant: 'acme', rig: 'rig-q', channel: 'PS1', fromUs: from, toUs: to, points: 11 })
  const width = (to - from) / 11
  assert.equal(env.t.length, 11)
  for (let b = 0; b < 11; b++) {
    const vs = want.filter(([t]) => Math.floor((t - from) / width) === b).map(x => x[1])
    assert.equal(env.t[b], Math.round(from + b * width))
    assert.equal(env.min[b], Math.min(...vs))
    assert.equal(env.max[b], Math.max(...vs))
    assert.ok(Math.abs(env.mean[b] - vs.reduce((x, y) => x + y, 0) / vs.length) < 1e-9)
  }
  // window-resolution envelope (buckets of 2 windows): from the stored summaries
  const wf = BASE_US + 1_000_000
  const wt = BASE_US + 11_000_000
  const wenv = await q.envelope({ tenant: 'acme', rig: 'rig-q', channel: 'PS1', fromUs: wf, toUs: wt, points: 5 })
  assert.equal(wenv.t.length, 5)
  for (let b = 0; b < 5; b++) {
    const vs = all.filter(([t]) => t >= wf + b * 2_000_000 && t < wf + (b + 1) * 2_000_000).map(x => x[1])
    assert.equal(wenv.min[b], Math.min(...vs))
    assert.equal(wenv.max[b], Math.max(...vs))
    assert.ok(Math.abs(wenv.mean[b] - vs.reduce((x, y) => x + y, 0) / vs.length) < 1e-6)
  }
})

test('dead letters are stored with reason, identity and a bounded payload', async () => {
  const { pool } = await db()
  const big = new Uint8Array(200_000).fill(7)
  const d1 = deadLetterFrom({ code: 'RS_ERR_TOO_LARGE', detail: '200000 bytes', tenant: 'acme', rig: 'r1', seq: null }, 'rs/v1/acme/r1/frames', big, Date.now() * 1000)
  const d2 = deadLetterFrom({ code: 'RS_ERR_NOT_FINITE', detail: 'channel PS1 sample 3 is NaN', tenant: 'acme', rig: 'r2', seq: 17 }, 'rs/v1/acme/r2/frames', Uint8Array.from([1, 2, 3]), Date.now() * 1000)
  await createPgFrameWriter(pool).write({ frames: [], deadLetters: [d1, d2] })
  const r = await pool.query('SELECT reason, detail, tenant, rig, seq, length(payload) AS kept, payload_size FROM dead_letters ORDER BY id')
  assert.deepEqual(r.rows.map(x => [x.reason, x.rig, x.seq === null ? null : Number(x.seq), x.kept, x.payload_size]), [
    ['RS_ERR_TOO_LARGE', 'r1', null, 65536, 200000],
    ['RS_ERR_NOT_FINITE', 'r2', 17, 3, 3]
  ])
})
