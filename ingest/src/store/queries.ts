// The read side (TelemetryQueries, ./types.ts). The same SQL runs on both storage paths
// (./storage.ts): frame_channels is a partitioned table or a hypertable, frame_rollup_1m/1h are
// tables maintained by ingest or continuous aggregates, with the same columns and bucketing.
import type pg from 'pg'
import { loadProfile, DEFAULT_PROFILE_ID } from '../../../common/src/profile.js'
import type { FrameRow, RigSummary, SeriesQuery, TelemetryQueries } from './types.js'
import { sqlUs, usToTimestamp } from './time.js'

/** Frame windows are at most this long (validated against the profile, 1 s for the reference rig). */
const MAX_WINDOW_US = 60_000_000

const LIST_RIGS = `
SELECT tenant, rig, profile, last_seq, ${sqlUs('last_seen')} AS last_seen_us, frames
FROM rigs WHERE frames > 0 AND ($1::text IS NULL OR tenant = $1) ORDER BY tenant, rig`

const RIG = 'SELECT id, profile FROM rigs WHERE tenant = $1 AND rig = $2'

// The newest frames by seq (frame_keys' primary key), then their channel rows through
// frame_channels' primary key (rig_id, channel, start_time, ...), one index range per channel.
const RECENT = `
WITH k AS (
  SELECT seq, window_start FROM frame_keys
  WHERE rig_id = $1 AND ($3::timestamptz IS NULL OR window_start >= $3)
  ORDER BY seq DESC LIMIT $4
)
SELECT c.seq, c.channel, ${sqlUs('c.start_time')} AS start_us, c.rate_hz, c.samples, c.min, c.max, c.mean
FROM frame_channels c JOIN k ON k.seq = c.seq
WHERE c.rig_id = $1 AND c.channel = ANY($2::text[])
  AND c.start_time >= (SELECT min(window_start) FROM k)
  AND c.start_time < (SELECT max(window_start) FROM k) + make_interval(secs => $5::double precision)
ORDER BY c.seq DESC, array_position($2::text[], c.channel)
LIMIT $6`

const RAW = `
SELECT ${sqlUs('start_time')} AS start_us, rate_hz, samples FROM frame_channels
WHERE rig_id = $1 AND channel = $2 AND start_time >= $3 AND start_time < $4
ORDER BY start_time, seq`

// Envelope from summaries. Each part (a window's summary, or a rollup bucket) goes to the bucket
// holding its start. Rollup buckets ($4..$5) fill the whole granules inside the range; windows
// fill the edges [$3, $4) and [$5, $6), so every window in [from, to) is counted once. The mean
// is sum(mean * n) / sum(n) with exact numeric sums: the same value whatever order rows come in,
// hence the same on both storage paths.
const envelopeSql = (rollup: string): string => `
WITH parts AS (
  SELECT start_time AS t, n::bigint AS n, min, max, (mean * n)::numeric AS s FROM frame_channels
  WHERE rig_id = $1 AND channel = $2 AND start_time >= $3 AND start_time < $4
  UNION ALL
  SELECT bucket, n, min, max, sum FROM ${rollup}
  WHERE rig_id = $1 AND channel = $2 AND bucket >= $4 AND bucket < $5
  UNION ALL
  SELECT start_time, n::bigint, min, max, (mean * n)::numeric FROM frame_channels
  WHERE rig_id = $1 AND channel = $2 AND start_time >= $5 AND start_time < $6
)
SELECT floor((${sqlUs('t')} - $7::bigint) / $8::double precision)::bigint AS b,
       min(min) AS min, max(max) AS max, (sum(s) / sum(n))::double precision AS mean
FROM parts GROUP BY b ORDER BY b`

/** Rollup levels, coarsest first: used when an envelope bucket is at least one granule wide. */
const ROLLUPS = [
  { table: 'frame_rollup_1h', granuleUs: 3_600_000_000, sql: envelopeSql('frame_rollup_1h') },
  { table: 'frame_rollup_1m', granuleUs: 60_000_000, sql: envelopeSql('frame_rollup_1m') },
  { table: 'frame_rollup_10s', granuleUs: 10_000_000, sql: envelopeSql('frame_rollup_10s') }
] as const

/**
 * The SQL and range bounds of a summary envelope over [fromUs, toUs) with buckets `width` wide:
 * the coarsest rollup whose granule fits in a bucket, or windows alone when none does.
 */
export function envelopePlan (fromUs: number, toUs: number, width: number): { sql: string, level: string, bounds: [number, number, number, number] } {
  for (const r of ROLLUPS) {
    if (width < r.granuleUs) continue
    const m0 = Math.ceil(fromUs / r.granuleUs) * r.granuleUs
    const m1 = Math.floor(toUs / r.granuleUs) * r.granuleUs
    if (m1 <= m0) continue
    return { sql: r.sql, level: r.table, bounds: [fromUs, m0, m1, toUs] }
  }
  return { sql: ROLLUPS[2].sql, level: 'frame_channels', bounds: [fromUs, toUs, toUs, toUs] }
}

interface RawRow { start_us: string, rate_hz: number, samples: number[] }

/** On the plain path, rollup rows newer than this may still be in ingest's memory (10 s level: held until the bucket has closed, +2 s, then one flush, 10 s by default). */
const ROLLUP_SETTLE_US = 30_000_000

const WATERMARKS = `SELECT level, (extract(epoch from until) * 1000000)::bigint AS until FROM rollup_derived`

export function createTelemetryQueries (pool: pg.Pool, opts: { now?: () => number } = {}): TelemetryQueries {
  const now = opts.now ?? Date.now
  // Plain path (migration 012 made rollup_derived): a minute or an hour has a row only once derived
  // (./rollup-derive.ts), and the newest 10 s rows trail the commit. The envelope takes rollups
  // only up to what is complete (the level's watermark, and now - 30 s) and the rest from the
  // stored windows, so a range ending now reads the same as on TimescaleDB, whose continuous
  // aggregates are real-time (materialized_only = false). Watermarks only move forward: one read
  // a second is enough.
  let plain: Promise<boolean> | null = null
  let marks: { at: number, until: Map<string, number> } | null = null
  async function rollupsUntil (level: string): Promise<number | null> {
    plain ??= pool.query<{ t: string | null }>("SELECT to_regclass('rollup_derived')::text AS t")
      .then(r => r.rows[0]?.t != null, err => { plain = null; throw err })
    if (!(await plain)) return null
    const t = now()
    if (marks === null || t - marks.at > 1000) {
      const r = await pool.query<{ level: string, until: string }>(WATERMARKS)
      marks = { at: t, until: new Map(r.rows.map(row => [row.level, Number(row.until)])) }
    }
    const settled = t * 1000 - ROLLUP_SETTLE_US
    const wm = marks.until.get(level)
    return wm === undefined ? settled : Math.min(wm, settled)
  }

  async function rigOf (tenant: string, rig: string): Promise<{ id: number, profile: string } | null> {
    const r = await pool.query<{ id: number, profile: string }>(RIG, [tenant, rig])
    return r.rows[0] ?? null
  }

  async function raw (q: SeriesQuery): Promise<{ t: number[], v: number[] }> {
    const t: number[] = []
    const v: number[] = []
    const r = await rigOf(q.tenant, q.rig)
    if (!r || q.toUs <= q.fromUs) return { t, v }
    const rows = await pool.query<RawRow>(RAW, [r.id, q.channel, usToTimestamp(q.fromUs - MAX_WINDOW_US), usToTimestamp(q.toUs)])
    for (const row of rows.rows) {
      const start = Number(row.start_us)
      const step = 1e6 / row.rate_hz
      for (let i = 0; i < row.samples.length; i++) {
        const ts = Math.round(start + i * step)
        if (ts >= q.fromUs && ts < q.toUs) { t.push(ts); v.push(Math.fround(row.samples[i])) }
      }
    }
    return { t, v }
  }

  return {
    async listRigs (tenant?: string): Promise<RigSummary[]> {
      const r = await pool.query<{ tenant: string, rig: string, profile: string, last_seq: string, last_seen_us: string, frames: string }>(LIST_RIGS, [tenant ?? null])
      return r.rows.map(row => ({
        tenant: row.tenant,
        rig: row.rig,
        profile: row.profile,
        lastSeq: Number(row.last_seq),
        lastSeenUs: Number(row.last_seen_us),
        frames: Number(row.frames)
      }))
    },

    /** `limit` bounds the rows returned (one row per frame and channel), default 100. */
    async recentFrames (q): Promise<FrameRow[]> {
      const r = await rigOf(q.tenant, q.rig)
      if (!r) return []
      const profile = loadProfile(r.profile) ?? loadProfile(DEFAULT_PROFILE_ID)!
      const channels = q.channels && q.channels.length > 0 ? q.channels : profile.channels.map(c => c.id)
      const limit = Math.max(1, Math.floor(q.limit ?? 100))
      const frames = Math.ceil(limit / channels.length)
      const since = q.sinceUs === undefined ? null : usToTimestamp(q.sinceUs)
      const rows = await pool.query<{ seq: string, channel: string, start_us: string, rate_hz: number, samples: number[], min: number, max: number, mean: number }>(
        RECENT, [r.id, channels, since, frames, profile.windowUs / 1e6, limit])
      return rows.rows.map(row => ({
        seq: Number(row.seq),
        channel: row.channel,
        startUs: Number(row.start_us),
        rateHz: row.rate_hz,
        samples: row.samples.map(Math.fround),
        min: Math.fround(row.min),
        max: Math.fround(row.max),
        mean: row.mean
      }))
    },

    rawSamples: raw,

    async envelope (q): Promise<{ t: number[], min: number[], max: number[], mean: number[] }> {
      const out = { t: [] as number[], min: [] as number[], max: [] as number[], mean: [] as number[] }
      const points = Math.max(1, Math.floor(q.points))
      if (q.toUs <= q.fromUs) return out
      const width = (q.toUs - q.fromUs) / points
      const r = await rigOf(q.tenant, q.rig)
      if (!r) return out
      const windowUs = (loadProfile(r.profile) ?? loadProfile(DEFAULT_PROFILE_ID)!).windowUs
      if (width >= windowUs) {
        // buckets at least a window wide: from the per-window summaries and the rollups
        const plan = envelopePlan(q.fromUs, q.toUs, width)
        if (plan.level !== 'frame_channels') {
          const until = await rollupsUntil(plan.level)
          // the rollup part ends where the level is complete; the stored windows cover the rest
          const g = ROLLUPS.find(l => l.table === plan.level)!.granuleUs
          const end = until === null ? Infinity : Math.floor(until / g) * g
          if (plan.bounds[2] > end) plan.bounds[2] = Math.max(plan.bounds[1], end)
        }
        const rows = await pool.query<{ b: string, min: number, max: number, mean: number }>(plan.sql,
          [r.id, q.channel, ...plan.bounds.map(usToTimestamp), q.fromUs, width])
        for (const row of rows.rows) {
          const b = Number(row.b)
          if (b < 0 || b >= points) continue
          out.t.push(Math.round(q.fromUs + b * width)); out.min.push(Math.fround(row.min)); out.max.push(Math.fround(row.max)); out.mean.push(row.mean)
        }
        return out
      }
      // buckets narrower than a window: exact, from the samples
      const { t, v } = await raw(q)
      let cur = -1
      let n = 0
      let sum = 0
      for (let i = 0; i < t.length; i++) {
        const b = Math.min(points - 1, Math.floor((t[i] - q.fromUs) / width))
        if (b !== cur) {
          if (n > 0) out.mean.push(sum / n)
          cur = b; n = 0; sum = 0
          out.t.push(Math.round(q.fromUs + b * width)); out.min.push(v[i]); out.max.push(v[i])
        }
        const last = out.min.length - 1
        if (v[i] < out.min[last]) out.min[last] = v[i]
        if (v[i] > out.max[last]) out.max[last] = v[i]
        sum += v[i]; n++
      }
      if (n > 0) out.mean.push(sum / n)
      return out
    }
  }
}
