// npm run bench -- envelope [--quick] [--json] [--path plain|timescale] [--admin-url postgres://...] [--naive]
// Chart query latency: 24 h of one 100 Hz channel (86,400 one-second frame rows, 8.64 M samples)
// written through ingest's writer into a fresh database, then the min/max/mean envelope of the
// whole day at 2,000 points through the query API (TelemetryQueries.envelope), and at coarser
// point counts that reach the minute and hour rollups. Baseline in the same run: the same
// 2,000-point envelope computed in SQL from the raw frame rows (every sample unnested), i.e.
// without summaries or rollups; and from the per-window summaries alone (no rollups). Warm-up first; the last stdout line is one JSON object.
// --path plain (default): a real PostgreSQL (embedded PostgreSQL 18, or --admin-url).
// --path timescale: PGlite with TimescaleDB (tests/support/timescale.ts; WASM, one connection).
// --naive: also the design peers use, one row per sample (8.64 M rows), its size and its envelope.
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createRootLogger } from '../common/src/logger.js'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { createPgFrameWriter } from '../ingest/src/store/writer.js'
import { createTelemetryQueries, envelopePlan } from '../ingest/src/store/queries.js'
import { sqlUs, usToTimestamp } from '../ingest/src/store/time.js'
import type { AcceptedFrame } from '../ingest/src/validate.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, path: { type: 'string' }, 'admin-url': { type: 'string' }, naive: { type: 'boolean' } } })
const quick = args.quick === true
const path = args.path ?? 'plain'
if (path !== 'plain' && path !== 'timescale') throw new Error('--path must be plain or timescale')
const ITERS = quick ? 10 : 50
const WARMUP = quick ? 3 : 10
const BASELINE_ITERS = quick ? 1 : 3
const FRAMES = 86_400
const RATE = 100
const BATCH = 1_000

const say = (s: string): void => { process.stderr.write(s + '\n') }
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6
const r3 = (v: number): number => Math.round(v * 1000) / 1000

function summary (ms: number[]): { p50Ms: number, p99Ms: number, meanMs: number, minMs: number } {
  const s = [...ms].sort((a, b) => a - b)
  return { p50Ms: r3(s[Math.floor(s.length * 0.5)]), p99Ms: r3(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]), meanMs: r3(ms.reduce((a, b) => a + b, 0) / ms.length), minMs: r3(s[0]) }
}

// fixed input: a slow pressure cycle, a fast ripple and a deterministic noise (LCG), as float32
let lcg = 12345
const noise = (): number => { lcg = (lcg * 1103515245 + 12345) % 2147483648; return lcg / 2147483648 - 0.5 }
const END_US = Math.floor(Date.now() / 60_000) * 60_000_000 - 60_000_000
const START_US = END_US - FRAMES * 1_000_000

function frame (k: number): AcceptedFrame {
  const start = START_US + k * 1_000_000
  const samples = new Array<number>(RATE)
  let min = Infinity; let max = -Infinity; let sum = 0
  for (let i = 0; i < RATE; i++) {
    const t = (start + i * 10_000) / 1e6
    const v = Math.fround(120 + 40 * Math.sin(2 * Math.PI * t / 600) + 3 * Math.sin(2 * Math.PI * t / 0.7) + 2 * noise())
    samples[i] = v
    if (v < min) min = v
    if (v > max) max = v
    sum += v
  }
  return {
    tenant: 'bench', rig: 'rig-1', seq: k + 1, profile: 'uci-hydraulic', windowStartUs: start, windowUs: 1_000_000, receivedUs: start + 1_000_000,
    channels: [{ id: 'PS1', rateHz: RATE, startUs: start, samples, min, max, mean: sum / RATE }]
  } as unknown as AcceptedFrame // batch/bytes are for the live bus and Kafka; the writer does not read them
}

// the baseline: every sample of the day unnested and bucketed by its own time, no summaries
const RAW_ENVELOPE = `
SELECT floor((${sqlUs('c.start_time')} + (u.i - 1) * 1000000.0 / c.rate_hz - $4::bigint) / $5::double precision)::bigint AS b,
       min(u.v) AS min, max(u.v) AS max, avg(u.v::double precision) AS mean
FROM frame_channels c, unnest(c.samples) WITH ORDINALITY AS u(v, i)
WHERE c.rig_id = (SELECT id FROM rigs WHERE tenant = 'bench' AND rig = 'rig-1') AND c.channel = $1
  AND c.start_time >= $2 AND c.start_time < $3
GROUP BY b ORDER BY b`

const log = createRootLogger({ level: 'warn' })
const closers: Array<() => Promise<void>> = []
let url: string
let poolMax = 4
if (path === 'timescale') {
  const { startTimescaleLite } = await import('../tests/support/timescale.js')
  const lite = await startTimescaleLite()
  closers.push(() => lite.stop())
  url = lite.url
  poolMax = 1
} else {
  let admin = args['admin-url']
  if (admin === undefined) {
    const server = await startEmbeddedPostgres({ dir: join(tmpdir(), `rs-bench-envelope-${process.pid}`), persistent: false })
    closers.push(() => server.stop())
    admin = server.adminUrl
  }
  const name = `bench_envelope_${randomBytes(4).toString('hex')}`
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`CREATE DATABASE ${name}`)
  await c.end()
  const u = new URL(admin)
  u.pathname = '/' + name
  url = u.toString()
}

const pool = new pg.Pool({ connectionString: url, max: poolMax })
closers.push(() => pool.end())
try {
  const m = await migrate(pool, log)
  say(`# ${m.storage} path, ${FRAMES} frames of PS1 at ${RATE} Hz from ${usToTimestamp(START_US)}`)
  const writer = createPgFrameWriter(pool, { rows: path === 'timescale' ? 'insert' : 'copy' })
  let t0 = nowMs()
  for (let k = 0; k < FRAMES; k += BATCH) {
    const frames = Array.from({ length: Math.min(BATCH, FRAMES - k) }, (_, i) => frame(k + i))
    const r = await writer.write({ frames, deadLetters: [] })
    if (r.stored.length !== frames.length) throw new Error('frames not stored')
  }
  const loadS = (nowMs() - t0) / 1000
  say(`  loaded in ${loadS.toFixed(1)} s (${Math.round(FRAMES / loadS)} frames/s, ${m.storage === 'plain' ? 'rollups by the writer' : 'continuous aggregates'})`)
  // the state a live database is in: autovacuum has set the visibility map and statistics; on
  // TimescaleDB the refresh policy has materialised the rollups
  t0 = nowMs()
  if (m.storage === 'timescale') {
    await pool.query("CALL refresh_continuous_aggregate('frame_rollup_10s', NULL, NULL)")
    await pool.query("CALL refresh_continuous_aggregate('frame_rollup_1m', NULL, NULL)")
    await pool.query("CALL refresh_continuous_aggregate('frame_rollup_1h', NULL, NULL)")
  }
  await pool.query('VACUUM ANALYZE')
  say(`  ${m.storage === 'timescale' ? 'refresh + ' : ''}VACUUM ANALYZE: ${((nowMs() - t0) / 1000).toFixed(1)} s`)
  const sizes = await pool.query<{ bytes: string }>(m.storage === 'timescale'
    ? "SELECT hypertable_size('frame_channels') AS bytes"
    : "SELECT sum(pg_total_relation_size(inhrelid))::bigint AS bytes FROM pg_inherits WHERE inhparent = 'frame_channels'::regclass")

  const q = createTelemetryQueries(pool)
  const series = { tenant: 'bench', rig: 'rig-1', channel: 'PS1', fromUs: START_US, toUs: END_US }
  const timed = async (points: number, iters: number, warm: number): Promise<{ points: number, level: string, returned: number } & ReturnType<typeof summary>> => {
    let returned = 0
    for (let i = 0; i < warm; i++) returned = (await q.envelope({ ...series, points })).t.length
    const ms: number[] = []
    for (let i = 0; i < iters; i++) {
      const a = nowMs()
      returned = (await q.envelope({ ...series, points })).t.length
      ms.push(nowMs() - a)
    }
    return { points, level: envelopePlan(series.fromUs, series.toUs, (series.toUs - series.fromUs) / points).level, returned, ...summary(ms) }
  }
  const main = await timed(2000, ITERS, WARMUP)
  say(`  envelope 24 h -> 2000 points (${main.level}): ${JSON.stringify(main)}`)
  const coarser = [await timed(1000, ITERS, WARMUP), await timed(20, ITERS, WARMUP)]
  for (const c of coarser) say(`  envelope 24 h -> ${c.points} points (${c.level}): ${JSON.stringify(c)}`)

  const width = (END_US - START_US) / 2000
  const rawParams = ['PS1', usToTimestamp(START_US), usToTimestamp(END_US), START_US, width]
  await pool.query(RAW_ENVELOPE, rawParams)
  const rawMs: number[] = []
  let rawPoints = 0
  for (let i = 0; i < BASELINE_ITERS; i++) {
    const a = nowMs()
    rawPoints = (await pool.query(RAW_ENVELOPE, rawParams)).rowCount ?? 0
    rawMs.push(nowMs() - a)
  }
  const baseline = { points: 2000, returned: rawPoints, ...summary(rawMs) }
  say(`  baseline, from raw frame rows (8.64 M samples unnested): ${JSON.stringify(baseline)}`)

  // second baseline: the stored per-window summaries of frame_channels, no rollups (86,400 rows)
  const winPlan = envelopePlan(START_US, END_US, 1)
  const winParams = [...(await pool.query<{ id: number }>("SELECT id FROM rigs WHERE tenant = 'bench' AND rig = 'rig-1'")).rows.map(r => r.id), 'PS1', ...winPlan.bounds.map(usToTimestamp), START_US, width]
  for (let i = 0; i < WARMUP; i++) await pool.query(winPlan.sql, winParams)
  const winMs: number[] = []
  let winPoints = 0
  for (let i = 0; i < ITERS; i++) {
    const a = nowMs()
    winPoints = (await pool.query(winPlan.sql, winParams)).rowCount ?? 0
    winMs.push(nowMs() - a)
  }
  const windowsBaseline = { points: 2000, level: winPlan.level, returned: winPoints, ...summary(winMs) }
  say(`  baseline, from per-window summaries (86,400 rows, no rollups): ${JSON.stringify(windowsBaseline)}`)

  let naive: Record<string, unknown> | null = null
  if (args.naive === true) {
    // one row per sample, keyed like a time-series table usually is, filled from the frame rows
    t0 = nowMs()
    await pool.query(`CREATE TABLE samples_naive (rig_id integer NOT NULL, channel text NOT NULL, t timestamptz NOT NULL, v real NOT NULL,
      PRIMARY KEY (rig_id, channel, t))`)
    await pool.query(`INSERT INTO samples_naive SELECT c.rig_id, c.channel, c.start_time + (u.i - 1) * make_interval(secs => 1 / c.rate_hz), u.v
      FROM frame_channels c, unnest(c.samples) WITH ORDINALITY AS u(v, i) ORDER BY 1, 2, 3`)
    await pool.query('VACUUM ANALYZE samples_naive')
    const fillS = (nowMs() - t0) / 1000
    const bytes = Number((await pool.query<{ b: string }>("SELECT pg_total_relation_size('samples_naive') AS b")).rows[0].b)
    const sql = `SELECT floor((${sqlUs('t')} - $3::bigint) / $4::double precision)::bigint AS b, min(v), max(v), avg(v::double precision)
      FROM samples_naive WHERE rig_id = (SELECT id FROM rigs WHERE tenant = 'bench' AND rig = 'rig-1') AND channel = 'PS1' AND t >= $1 AND t < $2 GROUP BY b ORDER BY b`
    const p = [usToTimestamp(START_US), usToTimestamp(END_US), START_US, width]
    await pool.query(sql, p)
    const ms: number[] = []
    let returned = 0
    for (let i = 0; i < BASELINE_ITERS; i++) {
      const a = nowMs()
      returned = (await pool.query(sql, p)).rowCount ?? 0
      ms.push(nowMs() - a)
    }
    naive = { rows: FRAMES * RATE, bytes, fillSeconds: r3(fillS), envelope2000: { returned, ...summary(ms) } }
    say(`  naive, one row per sample: ${JSON.stringify(naive)}`)
  }

  const result = {
    bench: 'envelope',
    quick,
    storage: m.storage,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    data: { frames: FRAMES, rateHz: RATE, samples: FRAMES * RATE, frameChannelsBytes: Number(sizes.rows[0].bytes), loadSeconds: r3(loadS), loadFramesPerSec: Math.round(FRAMES / loadS) },
    iterations: ITERS,
    envelope2000: main,
    coarser,
    baselineRawRows2000: baseline,
    baselineWindowSummaries2000: windowsBaseline,
    naivePerSampleRows: naive,
    speedupP50: r3(baseline.p50Ms / main.p50Ms),
    target: { p50Ms: 100, met: main.p50Ms < 100 && main.returned === 2000 }
  }
  if (!args.json) say(JSON.stringify(result, null, 2))
  process.stdout.write(JSON.stringify(result) + '\n')
} finally {
  for (const c of closers.reverse()) await c().catch(() => {})
}
