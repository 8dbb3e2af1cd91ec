// Plain-PostgreSQL path: daily partitions kept ahead, a day without a partition loses nothing
// (DEFAULT partition, then moved into the day's partition), and a database that holds frames
// from before migration 002 is upgraded on both paths without losing or changing a frame.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { pino } from 'pino'
import { freshDatabase } from '../../tests/support/pg.js'
import { startTimescaleLite } from '../../tests/support/timescale.js'
import { migrate, MIGRATIONS_DIR } from '../src/store/migrate.js'
import { createPgFrameWriter } from '../src/store/writer.js'
import { createTelemetryQueries } from '../src/store/queries.js'
import { dayOf, ensureFramePartitions } from '../src/store/storage.js'
import { validateFrame, type AcceptedFrame } from '../src/validate.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

const DAY = 86_400_000_000
const NOW = Math.floor(Date.now() / 1000) * 1_000_000

function accepted (rig: string, seq: number, startUs: number): AcceptedFrame {
  const f = frameObject({ rig, seq, windowStartUs: startUs, channels: ['PS1', 'TS1'] })
  const v = validateFrame(frameTopic({ rig }), encodeFrame(f), Date.now() * 1000)
  if (!v.ok) throw new Error(v.rejection.detail)
  return v.frame
}

const partName = (day: number): string => 'frame_channels_p' + new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')

async function plainDb (): Promise<pg.Pool> {
  const url = await freshDatabase('parts')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  cleanups.push(() => pool.end())
  return pool
}

/** partition of frame_channels -> rows in it */
async function rowsByPartition (pool: pg.Pool): Promise<Record<string, number>> {
  const r = await pool.query<{ p: string, n: string }>('SELECT tableoid::regclass::text AS p, count(*) AS n FROM frame_channels GROUP BY 1 ORDER BY 1')
  return Object.fromEntries(r.rows.map(x => [x.p, Number(x.n)]))
}

test('migrate creates daily partitions from yesterday to 7 days ahead, a DEFAULT partition and a BRIN index', async () => {
  const pool = await plainDb()
  const c = await pool.connect()
  await c.query("SET TIME ZONE 'UTC'") // bounds print in the session's zone
  const parts = await c.query<{ name: string, bound: string }>(`SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'frame_channels'::regclass ORDER BY 1`)
  const today = dayOf(NOW)
  const want = Array.from({ length: 9 }, (_, i) => partName(today - 1 + i))
  await c.query('RESET TIME ZONE')
  c.release()
  assert.deepEqual(parts.rows.map(p => p.name), ['frame_channels_default', ...want])
  assert.equal(parts.rows[0].bound, 'DEFAULT')
  const lo = new Date((today - 1) * 86_400_000).toISOString().slice(0, 10)
  assert.match(parts.rows[1].bound, new RegExp(`^FOR VALUES FROM \\('${lo} 00:00:00\\+00'\\) TO`), 'UTC day bounds')
  const brin = await pool.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'frame_channels' AND indexdef ILIKE '%USING brin (start_time)%'")
  assert.equal(brin.rowCount, 1)
  // a later migrate (an ingest restart) adds none twice and keeps them ahead
  await migrate(pool, log)
  assert.equal((await pool.query("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'frame_channels'::regclass")).rows[0].n, 10)
  // 013: the day partitions get no insert-triggered autovacuum; DEFAULT (rows move out of it) keeps the defaults
  assert.deepEqual(await insertVacuumOff(pool), { frame_channels_default: false, ...Object.fromEntries(want.map(n => [n, true])) })
})

/** per frame partition: is insert-triggered autovacuum turned off (013)? Asserts that samples have no statistics. */
async function insertVacuumOff (pool: pg.Pool): Promise<Record<string, boolean>> {
  const r = await pool.query<{ name: string, off: boolean, stats: number }>(`SELECT c.relname AS name, coalesce('autovacuum_vacuum_insert_threshold=-1' = ANY(c.reloptions), false) AS off,
      a.attstattarget AS stats
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'samples'
    WHERE i.inhparent = 'frame_channels'::regclass ORDER BY 1`)
  // and no planner statistics on samples, on every partition (DEFAULT too)
  for (const x of r.rows) assert.equal(x.stats, 0, `${x.name}: samples SET STATISTICS 0`)
  return Object.fromEntries(r.rows.map(x => [x.name, x.off]))
}

test('the writer makes the partition of an older day before its frames arrive; rollups follow', async () => {
  const pool = await plainDb()
  const old = NOW - 3 * DAY
  const frames = [accepted('rig-d', 1, old), accepted('rig-d', 2, old + 1_000_000), accepted('rig-d', 3, NOW - 5_000_000)]
  const r = await createPgFrameWriter(pool).write({ frames, deadLetters: [] })
  assert.equal(r.stored.length, 3)
  assert.deepEqual(await rowsByPartition(pool), { [partName(dayOf(old))]: 4, [partName(dayOf(NOW - 5_000_000))]: 2 })
  const roll = await pool.query<{ n: string, c: string }>("SELECT sum(n) AS n, count(*) AS c FROM frame_rollup_1m WHERE channel = 'PS1'")
  assert.equal(Number(roll.rows[0].n), 300, 'every PS1 sample counted once in the minute rollup')
  const hour = await pool.query<{ n: string }>("SELECT sum(n) AS n FROM frame_rollup_1h WHERE channel = 'TS1'")
  assert.equal(Number(hour.rows[0].n), 3)
})

test('a frame whose day has no partition lands in DEFAULT and is moved, not lost, when the day gets one', async () => {
  const pool = await plainDb()
  await createPgFrameWriter(pool).write({ frames: [accepted('rig-z', 1, NOW - 2_000_000)], deadLetters: [] })
  const far = dayOf(NOW) + 40 // beyond what is kept ahead (validation would refuse it; a late clock fix could not)
  const t = new Date(far * 86_400_000 + 3_600_000).toISOString()
  await pool.query(`INSERT INTO frame_channels (rig_id, channel, start_time, seq, rate_hz, n, min, max, mean, samples)
    SELECT rig_id, channel, $1, 99, rate_hz, n, min, max, mean, samples FROM frame_channels`, [t])
  assert.equal((await rowsByPartition(pool)).frame_channels_default, 2)
  const made = await ensureFramePartitions(pool, far - 1, far + 1)
  assert.equal(made, 3)
  const parts = await rowsByPartition(pool)
  assert.equal(parts.frame_channels_default, undefined, 'DEFAULT is empty again')
  assert.equal(parts[partName(far)], 2)
  assert.equal(Object.values(parts).reduce((a, b) => a + b, 0), 4)
  // and again: nothing to do, nothing moves
  assert.equal(await ensureFramePartitions(pool, far - 1, far + 1), 0)
  // partitions made later, by either branch (plain CREATE, or CREATE + move + ATTACH), have insert vacuums off too
  const off = await insertVacuumOff(pool)
  for (const d of [far - 1, far, far + 1]) assert.equal(off[partName(d)], true, partName(d))
})

/** The schema as it was before 002, as the old `migrate` left it (no rs_storage). */
async function legacyDatabase (pool: pg.Pool): Promise<void> {
  const sql = readFileSync(`${MIGRATIONS_DIR}/001_frames.sql`, 'utf8')
  await pool.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  await pool.query(sql)
  const { createHash } = await import('node:crypto')
  await pool.query("INSERT INTO schema_migrations (version, name, sha256) VALUES (1, 'frames', $1)", [createHash('sha256').update(sql).digest('hex')])
}

test('frames stored before 002 survive the upgrade on both paths and read back the same', async () => {
  // frames two days ago and today, written by the 001-era writer (no partitions, no rollups)
  const before = [
    ...Array.from({ length: 120 }, (_, k) => accepted('rig-l', k + 1, NOW - 2 * DAY + k * 1_000_000)),
    ...Array.from({ length: 120 }, (_, k) => accepted('rig-l', 200 + k, NOW - 600_000_000 + k * 1_000_000))
  ]
  const afterUpgrade = Array.from({ length: 30 }, (_, k) => accepted('rig-l', 400 + k, NOW - 60_000_000 + k * 1_000_000))

  const plainUrl = await freshDatabase('legacy')
  const plain = new pg.Pool({ connectionString: plainUrl, max: 2 })
  cleanups.push(() => plain.end())
  const lite = await startTimescaleLite()
  cleanups.push(() => lite.stop())
  const ts = new pg.Pool({ connectionString: lite.url, max: 1 })
  cleanups.push(() => ts.end())

  for (const [pool, rows] of [[plain, 'copy'], [ts, 'insert']] as const) {
    await legacyDatabase(pool)
    assert.equal((await createPgFrameWriter(pool, { rows }).write({ frames: before, deadLetters: [] })).stored.length, before.length)
    const m = await migrate(pool, log)
    assert.equal(m.applied[0], 2)
    // a restarted ingest: the old frames are still duplicates, new ones are stored
    const w = createPgFrameWriter(pool, { rows })
    assert.equal((await w.write({ frames: before.slice(0, 10), deadLetters: [] })).duplicates.length, 10)
    assert.equal((await w.write({ frames: afterUpgrade, deadLetters: [] })).stored.length, afterUpgrade.length)
    const n = await pool.query<{ n: string }>('SELECT count(*) AS n FROM frame_channels')
    assert.equal(Number(n.rows[0].n), (before.length + afterUpgrade.length) * 2)
  }
  assert.equal((await plain.query("SELECT count(*)::int AS n FROM frame_channels_legacy")).rows[0].n, (before.length + afterUpgrade.length) * 2,
    'on the plain path the 001 table is the partition of the days it held (today included)')
  const hyper = await ts.query("SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'frame_channels'")
  assert.ok(hyper.rows[0].n >= 2, 'on TimescaleDB the rows moved into chunks')

  const ask = async (pool: pg.Pool): Promise<unknown[]> => {
    const q = createTelemetryQueries(pool)
    const s = { tenant: 'acme', rig: 'rig-l', channel: 'PS1' }
    return [
      await q.envelope({ ...s, fromUs: NOW - 3 * DAY, toUs: NOW + 60_000_000, points: 36 }),   // hour rollups
      await q.envelope({ ...s, fromUs: NOW - 2 * DAY - 30_000_000, toUs: NOW - 2 * DAY + 150_000_000, points: 3 }), // minute rollups
      await q.envelope({ ...s, fromUs: NOW - 700_000_000, toUs: NOW, points: 100 }), // windows
      await q.rawSamples({ ...s, fromUs: NOW - 2 * DAY + 5_500_000, toUs: NOW - 2 * DAY + 9_000_000 }),
      await q.listRigs()
    ]
  }
  const want = await ask(plain)
  assert.ok((want[0] as { t: number[] }).t.length >= 2)
  assert.deepEqual(await ask(ts), want)
})

test('storage path: chosen once and kept; plain on request; timescale refused where it cannot be', async () => {
  const lite = await startTimescaleLite()
  cleanups.push(() => lite.stop())
  const pool = new pg.Pool({ connectionString: lite.url, max: 1 })
  cleanups.push(() => pool.end())
  assert.equal((await migrate(pool, log, undefined, { storage: 'plain' })).storage, 'plain')
  const kind = await pool.query("SELECT relkind FROM pg_class WHERE relname = 'frame_channels'")
  assert.equal(kind.rows[0].relkind, 'p', 'a partitioned table, not a hypertable')
  assert.equal((await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).rowCount, 0)
  assert.equal((await migrate(pool, log)).storage, 'plain', 'auto keeps the recorded path')
  await assert.rejects(migrate(pool, log, undefined, { storage: 'timescale' }), (e: { code?: string }) => e.code === 'RS_ERR_CONFIG')
  await assert.rejects(migrate(await freshDatabase('parts'), log, undefined, { storage: 'timescale' }), (e: { code?: string, message?: string }) =>
    e.code === 'RS_ERR_CONFIG' && /timescaledb extension cannot be created/.test(e.message ?? ''))
})

test('`rigstream migrate` applies the migrations and reports the storage path', async () => {
  const { spawnSync } = await import('node:child_process')
  const { repoPath } = await import('../../common/src/paths.js')
  const url = await freshDatabase('cli')
  const run = (...a: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [repoPath('bin', 'rigstream.js'), 'migrate', ...a], { env: { ...process.env, DATABASE_URL: url, RS_LOG_LEVEL: 'silent' }, encoding: 'utf8' })
  const first = run('--storage', 'plain')
  assert.equal(first.status, 0, String(first.stderr))
  const out = JSON.parse(String(first.stdout).trim().split('\n').at(-1)!)
  assert.equal(out.storage, 'plain')
  assert.ok(out.applied.includes(1) && out.applied.includes(2))
  const again = JSON.parse(String(run().stdout).trim().split('\n').at(-1)!)
  assert.deepEqual(again.applied, [])
  const bad = run('--storage', 'maybe')
  assert.notEqual(bad.status, 0)
  assert.match(String(bad.stderr), /RS_ERR_CONFIG/)
})
