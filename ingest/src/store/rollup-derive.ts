// Minute and hour rollups of the plain path, derived from the level below once their buckets have
// closed (migration 012), instead of being added to at every flush.
//
// Why: with the three levels folded additively every 10 s, each flush rewrote every open minute
// and hour bucket of every rig and channel: at 2,750 rigs x 17 channels that is ~47,000 row
// versions per level per flush, two thirds of the flush's upserts, and the flush was what kept
// ingest's p99 latency above 1 s at 2,000,000 samples/s (bench ingest: p99 356 ms with no flush
// in the measured window, 1.4-1.9 s with it; docs/benchmarks.md, "Ingest throughput"). Now the
// flush adds frames to the 10 s level only, and a minute (an hour) is computed ONCE from its
// 10 s (minute) rows when it has closed, by a replace-upsert:
//  - `rollup_derived` holds, per level, a watermark: every bucket before it has been derived.
//    Buckets in [watermark, due) are derived by a range scan of the level below (BRIN on bucket),
//    all rigs and channels at once; `due` is the start of the bucket that holds now - grace
//    (hours: whole hours below the minute watermark, so an hour is derived only from derived
//    minutes: hour watermark <= minute watermark, always).
//  - A frame that arrives for a bucket already derived (a late frame, a replayed spool, a
//    recovery) is added to the 10 s level as before, and the minute and hour that hold it are
//    derived again, by key, in the same transaction.
//  - Replace semantics make a derivation idempotent, so nothing needs a marker beyond the 10 s
//    level's; every fold and derivation of every instance runs under one transaction-scoped
//    advisory lock (ROLLUP_LOCK), so a derivation always reads every 10 s row committed before it.
// Results are unchanged to the last digit: sums are exact numerics, so the sum of the 10 s sums
// equals the sum of the frames' (ingest/test/rollups-deferred.test.ts checks both paths against
// folding in the batch transaction). A minute's row appears at most grace + one flush interval
// after the minute has closed (an hour's, after its last minute), and an open minute or hour has
// no row yet.
import type pg from 'pg'
import { usToTimestamp } from './time.js'

/** pg_advisory_xact_lock key taken by every rollup flush, recovery and inline fold (shared). */
export const ROLLUP_LOCK = 0x72730012

const ORIGIN = "timestamptz '2000-01-01 00:00:00+00'"
const ORIGIN_US = 946_684_800_000_000
const MINUTE_US = 60_000_000
const HOUR_US = 3_600_000_000

export const floorTo = (us: number, width: number): number => Math.floor((us - ORIGIN_US) / width) * width + ORIGIN_US
const ceilTo = (us: number, width: number): number => Math.ceil((us - ORIGIN_US) / width) * width + ORIGIN_US

const SET_REPLACE = 'ON CONFLICT (rig_id, channel, bucket) DO UPDATE SET n = excluded.n, min = excluded.min, max = excluded.max, sum = excluded.sum'

const deriveRange = (table: string, src: string, width: string): string => `
INSERT INTO ${table} AS r (rig_id, channel, bucket, n, min, max, sum)
SELECT rig_id, channel, date_bin('${width}', bucket, ${ORIGIN}), sum(n), min(min), max(max), sum(sum)
FROM ${src} WHERE bucket >= $1 AND bucket < $2
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
${SET_REPLACE}`

const deriveKeys = (table: string, src: string, width: string): string => `
INSERT INTO ${table} AS r (rig_id, channel, bucket, n, min, max, sum)
SELECT s.rig_id, s.channel, k.bucket, sum(s.n), min(s.min), max(s.max), sum(s.sum)
FROM unnest($1::int[], $2::text[], $3::timestamptz[]) AS k(rig_id, channel, bucket)
JOIN ${src} s ON s.rig_id = k.rig_id AND s.channel = k.channel AND s.bucket >= k.bucket AND s.bucket < k.bucket + interval '${width}'
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
${SET_REPLACE}`

const LEVELS = {
  minute: { table: 'frame_rollup_1m', range: deriveRange('frame_rollup_1m', 'frame_rollup_10s', '1 minute'), keys: deriveKeys('frame_rollup_1m', 'frame_rollup_10s', '1 minute') },
  hour: { table: 'frame_rollup_1h', range: deriveRange('frame_rollup_1h', 'frame_rollup_1m', '1 hour'), keys: deriveKeys('frame_rollup_1h', 'frame_rollup_1m', '1 hour') }
} as const

const WATERMARKS = `SELECT level, (extract(epoch from until) * 1000000)::bigint AS until FROM rollup_derived WHERE level IN ('frame_rollup_1m', 'frame_rollup_1h')`
const SET_WATERMARK = 'UPDATE rollup_derived SET until = $2 WHERE level = $1'

export interface DeriveOptions {
  nowUs: number
  /** a bucket is derived once now - grace is past its end (default 5 s): frames still on their way are folded first */
  graceUs?: number
  /** derive up to the end of the current hour, open buckets included (tests, close); later frames for them are late, and derived again */
  force?: boolean
  /** at most this much of the minute level per call, catching up after a long stop (default 10 min; not when forced) */
  maxCatchUpUs?: number
  /** false: only the late keys (`touched10s` below the watermarks) are derived again; the range and the watermarks are left to a later call (default true) */
  range?: boolean
}

export interface DeriveResult { minuteRange: number, minuteKeys: number, hourRange: number, hourKeys: number }

/** Touched 10 s buckets: rig id, channel, bucket start (µs). */
export type Touched = Iterable<readonly [number, string, number]>

/**
 * Derives what is due. Runs inside the caller's transaction, after its 10 s fold, with
 * ROLLUP_LOCK held (lockRollups).
 */
export async function deriveRollups (c: pg.PoolClient, touched10s: Touched, o: DeriveOptions): Promise<DeriveResult> {
  const wm = await c.query<{ level: string, until: string }>(WATERMARKS)
  const mark = new Map(wm.rows.map(r => [r.level, Number(r.until)]))
  const wmM = mark.get(LEVELS.minute.table)
  const wmH = mark.get(LEVELS.hour.table)
  if (wmM === undefined || wmH === undefined) throw new Error('rollup_derived has no watermarks: run the migrations (012)')
  const out: DeriveResult = { minuteRange: 0, minuteKeys: 0, hourRange: 0, hourKeys: 0 }

  // minutes
  let dueM = o.force ? ceilTo(o.nowUs, HOUR_US) : floorTo(o.nowUs - (o.graceUs ?? 5_000_000), MINUTE_US)
  if (!o.force) dueM = Math.min(dueM, wmM + (o.maxCatchUpUs ?? 10 * MINUTE_US))
  if (o.range === false) dueM = wmM
  const lateM = new Map<string, readonly [number, string, number]>()
  for (const [rig, channel, b] of touched10s) {
    const m = floorTo(b, MINUTE_US)
    if (m < wmM) lateM.set(rig + '/' + channel + '/' + m, [rig, channel, m])
  }
  if (dueM > wmM) out.minuteRange = (await c.query(LEVELS.minute.range, [usToTimestamp(wmM), usToTimestamp(dueM)])).rowCount ?? 0
  if (lateM.size > 0) out.minuteKeys = (await c.query(LEVELS.minute.keys, keyParams(lateM.values()))).rowCount ?? 0
  const newM = Math.max(wmM, dueM)

  // hours: only those whose minutes are all derived
  const dueH = o.range === false ? wmH : floorTo(newM, HOUR_US)
  const lateH = new Map<string, readonly [number, string, number]>()
  for (const [rig, channel, m] of lateM.values()) {
    const h = floorTo(m, HOUR_US)
    if (h < wmH) lateH.set(rig + '/' + channel + '/' + h, [rig, channel, h])
  }
  if (dueH > wmH) out.hourRange = (await c.query(LEVELS.hour.range, [usToTimestamp(wmH), usToTimestamp(dueH)])).rowCount ?? 0
  if (lateH.size > 0) out.hourKeys = (await c.query(LEVELS.hour.keys, keyParams(lateH.values()))).rowCount ?? 0

  if (newM > wmM) await c.query(SET_WATERMARK, [LEVELS.minute.table, usToTimestamp(newM)])
  if (dueH > wmH) await c.query(SET_WATERMARK, [LEVELS.hour.table, usToTimestamp(dueH)])
  return out
}

/** Takes the rollup lock for the rest of the transaction: exclusive for flushes and recoveries, shared for inline folds. */
export async function lockRollups (c: pg.PoolClient, shared = false): Promise<void> {
  await c.query(shared ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK])
}

/** deriveKeys' parameters, in key order (rig, channel, bucket): derivations lock rows in one order */
function keyParams (keys: Iterable<readonly [number, string, number]>): [number[], string[], string[]] {
  const ks = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2])
  return [ks.map(k => k[0]), ks.map(k => k[1]), ks.map(k => usToTimestamp(k[2]))]
}
