// Deferred rollups for the plain storage path (migration 010). Folding every batch into the
// 10 s, minute and hour rollups inside the batch transaction costs one upsert per (rig, channel,
// rollup) per batch: at 500 rigs and a batch every few tens of milliseconds that was most of
// ingest's database time, and each upsert rewrote a row that the next batch rewrote again.
// Here the batch transaction writes only a marker per new frame (rollup_pending); the frames'
// per-window summaries are summed in memory per (rig, channel, bucket) of each level as they are
// committed (exact numeric sums, ./numeric-sum.ts), and a flush every 10 s (by default) deletes
// their markers and upserts one row per bucket, in one transaction. So a bucket row is rewritten
// once per flush instead of once per batch, and fewer times the longer the interval (upserts are
// the flush's cost: `npm run bench -- rollups`, 500 rigs, flush time per second of data 266 ms with
// PostgreSQL grouping every 2 s, 119 ms with the sums made here every 10 s; docs/benchmarks.md),
// and each frame is added exactly once:
//  - the flush adds only the frames whose markers its own DELETE removed (the claim); when a
//    recovery took some of them first, the held sums cannot be split by frame, so the frames it
//    did claim are folded from their stored summaries instead;
//  - frames whose instance died before its flush keep their markers, and `recover` (any
//    instance, at start and then every 30 s, for markers older than a threshold) claims them
//    and folds them from the summaries stored in frame_channels;
//  - a flush that fails keeps its rows for the next one; past a bound they are let go from
//    memory and recovery folds them from the database instead.
// Rollups therefore trail the commit by at most about one flush interval (default 10 s), or the
// recovery threshold after a crash. Since migration 012 the flush and the recovery add frames to
// the 10 s level only; the minute and hour levels are derived from it once their buckets close
// (./rollup-derive.ts). docs/storage.md, "Rollups".
import type pg from 'pg'
import type { Logger } from '../../../common/src/logger.js'
import type { AcceptedFrame } from '../validate.js'
import { floatText } from './copy-text.js'
import { usToTimestamp } from './time.js'
import { addDecimal, decimalText, float8Numeric, type Decimal } from './numeric-sum.js'
import { deriveRollups, lockRollups, type Touched } from './rollup-derive.js'

const ORIGIN = "timestamptz '2000-01-01 00:00:00+00'"
const LEVELS: Array<[string, string]> = [['frame_rollup_10s', '10 seconds'], ['frame_rollup_1m', '1 minute'], ['frame_rollup_1h', '1 hour']]

// Per rollup: one upsert of the claimed rows grouped by (rig, channel, bucket), in key order (two
// writers that share buckets lock them in the same order). Sums are numeric, as in migration 002
// and the TimescaleDB continuous aggregates, so the result does not depend on how rows are grouped.
const foldCtes = (src: string): string => LEVELS.map(([table, width], i) => `
r${i} AS (
  INSERT INTO ${table} AS r (rig_id, channel, bucket, n, min, max, sum)
  SELECT rig_id, channel, date_bin('${width}', start_time, ${ORIGIN}), sum(n), min(min), max(max), sum((mean * n)::numeric)
  FROM ${src} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (rig_id, channel, bucket) DO UPDATE SET
    n = r.n + excluded.n, min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max), sum = r.sum + excluded.sum
  RETURNING 1)`).join(',')

// The deferred paths' fold from stored summaries: the 10 s level only, returning the buckets it
// touched (the minutes and hours that hold them are derived afterwards, ./rollup-derive.ts).
const fold10Cte = (src: string): string => `
r0 AS (
  INSERT INTO frame_rollup_10s AS r (rig_id, channel, bucket, n, min, max, sum)
  SELECT rig_id, channel, date_bin('10 seconds', start_time, ${ORIGIN}), sum(n), min(min), max(max), sum((mean * n)::numeric)
  FROM ${src} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (rig_id, channel, bucket) DO UPDATE SET
    n = r.n + excluded.n, min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max), sum = r.sum + excluded.sum
  RETURNING r.rig_id, r.channel, (extract(epoch from r.bucket) * 1000000)::bigint AS b)`
const TOUCHED = `(SELECT coalesce(array_agg(rig_id), '{}') FROM r0) AS t_rig, (SELECT coalesce(array_agg(channel), '{}') FROM r0) AS t_channel, (SELECT coalesce(array_agg(b), '{}') FROM r0) AS t_bucket`
interface TouchedRow { t_rig: number[], t_channel: string[], t_bucket: string[] }
const touchedOf = (r: TouchedRow): Touched => r.t_rig.map((rig, i) => [rig, r.t_channel[i]!, Number(r.t_bucket[i])] as const)

/** Inline mode (RS_INGEST_ROLLUP_FLUSH_MS=0): a batch's summaries folded inside its own transaction, same fold. */
export const FOLD_INLINE = `
WITH rows AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::int[], $5::real[], $6::real[], $7::float8[])
    AS u(rig_id, channel, start_time, n, min, max, mean)
),${foldCtes('rows')}
SELECT 1`

/** Markers for the new frames of a batch; runs inside the batch transaction. */
export const INSERT_PENDING = `
INSERT INTO rollup_pending (rig_id, seq, first_start, last_start)
SELECT * FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])`

// The flush, in one transaction: claim the held frames' markers (the DELETE), then add the claimed
// frames, summed per bucket in ingest (exact numeric sums: ./numeric-sum.ts), one upsert per level.
// It returns one row: how many were claimed and, only when that is fewer than held ($3), which
// (returning a row per frame cost ingest's event loop ~50 ms a flush in timestamp parsing alone).
const CLAIM = `
WITH d AS (
  DELETE FROM rollup_pending d
  USING unnest($1::int[], $2::bigint[]) AS k(rig_id, seq)
  WHERE d.rig_id = k.rig_id AND d.seq = k.seq
  RETURNING d.rig_id, d.seq, d.first_start, d.last_start)
SELECT count(*)::int AS n,
  CASE WHEN count(*) < $3 THEN array_agg(rig_id) END AS rig_id,
  CASE WHEN count(*) < $3 THEN array_agg(seq) END AS seq,
  CASE WHEN count(*) < $3 THEN array_agg(first_start) END AS first_start,
  CASE WHEN count(*) < $3 THEN array_agg(last_start) END AS last_start
FROM d`

// When a recovery took some of the held frames' markers first (their flush failed for long), the
// held sums cannot be split by frame: the frames this flush did claim are folded from their
// stored summaries instead, as recovery does.
const FOLD_CLAIMED = `
WITH rows AS (
  SELECT fc.rig_id, fc.channel, fc.start_time, fc.n, fc.min, fc.max, fc.mean
  FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::timestamptz[]) AS c(rig_id, seq, first_start, last_start)
  JOIN frame_channels fc ON fc.rig_id = c.rig_id AND fc.seq = c.seq AND fc.start_time BETWEEN c.first_start AND c.last_start
),${fold10Cte('rows')}
SELECT ${TOUCHED}`

const upsertCte = (table: string, i: number): string => `
r${i} AS (
  INSERT INTO ${table} AS r (rig_id, channel, bucket, n, min, max, sum)
  SELECT * FROM unnest($${i * 7 + 1}::int[], $${i * 7 + 2}::text[], $${i * 7 + 3}::timestamptz[], $${i * 7 + 4}::bigint[], $${i * 7 + 5}::real[], $${i * 7 + 6}::real[], $${i * 7 + 7}::numeric[])
  ON CONFLICT (rig_id, channel, bucket) DO UPDATE SET
    n = r.n + excluded.n, min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max), sum = r.sum + excluded.sum
  RETURNING 1)`
/** $1..$7: the 10 s bucket rows, sorted by key (two writers lock shared buckets in the same order) */
const UPSERT = `WITH ${upsertCte('frame_rollup_10s', 0)}
SELECT 1`

// Markers left behind (an instance died between its commit and its flush): claimed in chunks,
// skipping any that another instance is flushing or recovering right now.
const RECOVER = `
WITH claimed AS (
  DELETE FROM rollup_pending d
  WHERE (d.rig_id, d.seq) IN (
    SELECT rig_id, seq FROM rollup_pending WHERE created_at < now() - make_interval(secs => $1)
    ORDER BY rig_id, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING d.rig_id, d.seq, d.first_start, d.last_start
), rows AS (
  SELECT fc.rig_id, fc.channel, fc.start_time, fc.n, fc.min, fc.max, fc.mean
  FROM claimed c
  JOIN frame_channels fc ON fc.rig_id = c.rig_id AND fc.seq = c.seq AND fc.start_time BETWEEN c.first_start AND c.last_start
),${fold10Cte('rows')}
SELECT (SELECT count(*)::int FROM claimed) AS frames, ${TOUCHED}`

export interface RollupFolderOptions {
  /** how often held summaries are folded in; default 10,000 ms */
  flushMs?: number
  /** markers older than this are recovered from the database; default 30 s */
  recoverAfterMs?: number
  /** buckets and frame keys held in memory at most; beyond, they are left to recovery; default 500,000 */
  maxRows?: number
  /** clock in ms for the minute and hour derivation (tests); default Date.now */
  now?: () => number
  /** 10 s rows per upsert statement of a flush (default 10,000), and the pause between two (default 50 ms) */
  chunkRows?: number
  chunkPauseMs?: number
}

export interface RollupStats {
  flushes: number
  flushedFrames: number
  recoveredFrames: number
  lostToRecovery: number
  heldRows: number
  /** wall time of the last flush (fold, derivations, recovery) and the longest so far, ms */
  lastFlushMs: number
  maxFlushMs: number
}

/** A text array element: channel ids are plain ([A-Za-z0-9_], validation), anything else is quoted. */
const arrayItem = (s: string): string => /^[A-Za-z0-9_]+$/.test(s) ? s : '"' + s.replace(/["\\]/g, '\\$&') + '"'

/** Bucket widths in µs of the levels held in memory (the 10 s level; minutes and hours are derived) and the origin of date_bin in the SQL (2000-01-01 UTC). */
const WIDTHS_US = [10_000_000]
const ORIGIN_US = 946_684_800_000_000

interface Bucket { rig: number, channel: string, startUs: number, n: number, min: number, max: number, sum: Decimal }

/**
 * What a flush will fold: the frames' keys (their markers) and their channel summaries already
 * summed per (rig, channel, bucket) for each level, as they were committed. A bucket's sum is the
 * exact numeric sum PostgreSQL would compute (./numeric-sum.ts), so summing here instead of in
 * SQL changes no digit.
 */
class Held {
  kRig: number[] = []; kSeq: number[] = []
  /** per level: bucket start (µs) -> "rig/channel" -> bucket (numbers as outer keys: no number-to-text per row) */
  readonly levels: Array<Map<number, Map<string, Bucket>>> = WIDTHS_US.map(() => new Map())
  /** buckets held over all levels */
  buckets = 0
  get frames (): number { return this.kRig.length }

  addRow (rig: number, channel: string, startUs: number, n: number, min: number, max: number, sum: Decimal): void {
    const key = rig + '/' + channel
    for (let l = 0; l < WIDTHS_US.length; l++) {
      const width = WIDTHS_US[l]
      const b0 = Math.floor((startUs - ORIGIN_US) / width) * width + ORIGIN_US
      let m = this.levels[l].get(b0)
      if (m === undefined) this.levels[l].set(b0, m = new Map())
      const b = m.get(key)
      if (b === undefined) { m.set(key, { rig, channel, startUs: b0, n, min, max, sum }); this.buckets++ } else {
        b.n += n
        if (min < b.min) b.min = min
        if (max > b.max) b.max = max
        b.sum = addDecimal(b.sum, sum)
      }
    }
  }

  /** the 10 s buckets held: what a flush of them touches */
  * touched (): Generator<readonly [number, string, number]> {
    for (const m of this.levels[0]!.values()) for (const b of m.values()) yield [b.rig, b.channel, b.startUs] as const
  }

  /** puts `other` (an earlier, failed flush) back in: its keys first, its buckets merged */
  mergeFrom (other: Held): void {
    this.kRig = other.kRig.concat(this.kRig)
    this.kSeq = other.kSeq.concat(this.kSeq)
    other.levels.forEach((byStart, l) => {
      for (const [b0, m] of byStart) for (const [key, b] of m) {
        let into = this.levels[l].get(b0)
        if (into === undefined) this.levels[l].set(b0, into = new Map())
        const mine = into.get(key)
        if (mine === undefined) { into.set(key, b); this.buckets++ } else {
          mine.n += b.n
          if (b.min < mine.min) mine.min = b.min
          if (b.max > mine.max) mine.max = b.max
          mine.sum = addDecimal(mine.sum, b.sum)
        }
      }
    })
  }

  /**
   * UPSERT's parameters, `chunkRows` buckets at a time, in key order (rig, channel, start) so that
   * writers lock shared rows in one order. Built a chunk at a time with a turn of the event loop in
   * between, and as array literals directly (ids, ISO times and numbers need no quoting): with
   * thousands of rigs this is tens of thousands of buckets, and building them in one go held
   * ingest's event loop for a few hundred ms every flush (bench live: its event-loop delay and the
   * push's p99; bench ingest: its eventLoopDelayMs).
   */
  async * params (chunkRows: number): AsyncGenerator<string[]> {
    await new Promise(resolve => setImmediate(resolve))
    const bs: Bucket[] = []
    for (const m of this.levels[0]!.values()) for (const b of m.values()) bs.push(b)
    bs.sort((a, b) => a.rig - b.rig || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0) || a.startUs - b.startUs)
    const stamp = new Map<number, string>() // few distinct bucket starts: their text once each
    for (let at = 0; at < bs.length; at += chunkRows) {
      // a turn of the event loop per chunk: commits and PUBACKs go on meanwhile
      if (at > 0) await new Promise(resolve => setImmediate(resolve))
      const rig: string[] = []; const channel: string[] = []; const ts: string[] = []; const n: string[] = []
      const min: string[] = []; const max: string[] = []; const sum: string[] = []
      for (let i = at; i < Math.min(bs.length, at + chunkRows); i++) {
        const b = bs[i]!
        let t = stamp.get(b.startUs)
        if (t === undefined) stamp.set(b.startUs, t = usToTimestamp(b.startUs))
        rig.push(String(b.rig)); channel.push(arrayItem(b.channel)); ts.push(t); n.push(String(b.n))
        min.push(floatText(b.min)); max.push(floatText(b.max)); sum.push(decimalText(b.sum))
      }
      yield [rig, channel, ts, n, min, max, sum].map(col => '{' + col.join(',') + '}')
    }
  }
}

export class RollupFolder {
  /** frames due for the next flush (and those of a failed flush) */
  private held = new Held()
  /** frames whose 10 s bucket has not closed yet, by bucket start: a flush takes a bucket once, whole (one insert per row, not an insert and an update) */
  private readonly open = new Map<number, Held>()
  private timer: NodeJS.Timeout | null = null
  private deriveTimer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastRecover = 0
  private readonly flushMs: number
  private readonly recoverAfterMs: number
  private readonly maxRows: number
  private readonly now: () => number
  private readonly chunkRows: number
  private readonly chunkPauseMs: number
  readonly stats: RollupStats = { flushes: 0, flushedFrames: 0, recoveredFrames: 0, lostToRecovery: 0, heldRows: 0, lastFlushMs: 0, maxFlushMs: 0 }

  constructor (private readonly pool: pg.Pool, private readonly log: Logger, o: RollupFolderOptions = {}) {
    this.flushMs = o.flushMs ?? 10_000
    this.recoverAfterMs = o.recoverAfterMs ?? 30_000
    this.maxRows = o.maxRows ?? 500_000
    this.now = o.now ?? Date.now
    this.chunkRows = o.chunkRows ?? 10_000
    this.chunkPauseMs = o.chunkPauseMs ?? 50
  }

  /** the marker rows for a batch's new frames (INSERT_PENDING's parameters) */
  static markers (frames: AcceptedFrame[], idOf: (f: AcceptedFrame) => number): unknown[] {
    const lo: string[] = []; const hi: string[] = []
    for (const f of frames) {
      let a = Infinity; let b = -Infinity
      for (const c of f.channels) { if (c.startUs < a) a = c.startUs; if (c.startUs > b) b = c.startUs }
      if (a === Infinity) { a = b = f.windowStartUs }
      lo.push(usToTimestamp(a)); hi.push(usToTimestamp(b))
    }
    return [frames.map(idOf), frames.map(f => f.seq), lo, hi]
  }

  /** Hold the summaries of frames that were just committed (with their markers), summed per bucket. */
  add (frames: AcceptedFrame[], idOf: (f: AcceptedFrame) => number): void {
    for (const f of frames) {
      // held by the 10 s bucket the frame ends in, until that bucket has closed (flushOnce)
      let last = f.windowStartUs
      for (const c of f.channels) if (c.startUs > last) last = c.startUs
      const b0 = Math.floor((last - ORIGIN_US) / WIDTHS_US[0]!) * WIDTHS_US[0]! + ORIGIN_US
      let h = this.open.get(b0)
      if (h === undefined) this.open.set(b0, h = new Held())
      const id = idOf(f)
      h.kRig.push(id); h.kSeq.push(f.seq)
      for (const c of f.channels) {
        const n = c.samples.length
        h.addRow(id, c.id, c.startUs, n, c.min, c.max, float8Numeric(c.mean * n))
      }
    }
    let frameCount = this.held.frames; let buckets = this.held.buckets
    for (const h of this.open.values()) { frameCount += h.frames; buckets += h.buckets }
    if (buckets + frameCount > this.maxRows) {
      // the database cannot take the flushes: keep memory bounded; the markers are still there
      this.stats.lostToRecovery += frameCount
      this.log.warn({ frames: frameCount, buckets }, 'rollup flushes are failing: summaries let go from memory; recovery folds them from the stored frames')
      this.held = new Held()
      this.open.clear()
      buckets = 0
    }
    this.stats.heldRows = buckets
    if (this.timer === null) {
      // the fold every flushMs, the range derivation of closed minutes and hours half an interval
      // later, in its own transaction: two smaller bursts of database work, not one
      this.timer = setInterval(() => {
        void this.flushExclusive(false).catch(() => {})
        if (this.deriveTimer) clearTimeout(this.deriveTimer)
        this.deriveTimer = setTimeout(() => { void this.exclusive(async () => await this.deriveDue(false)).catch(() => {}) }, this.flushMs / 2)
        this.deriveTimer.unref()
      }, this.flushMs)
      this.timer.unref()
    }
  }

  /**
   * Fold what is held, derive every minute and hour up to the end of the current hour (open ones
   * too: tests, close), and recover abandoned markers at most every 30 s. Errors are logged; held
   * rows are kept. The timer's flushes derive only closed buckets.
   */
  async flush (openBuckets = true): Promise<void> {
    // the fold and then the derivation at once (the timer derives half an interval after its fold)
    await this.exclusive(async () => { await this.flushOnce(openBuckets); await this.deriveDue(openBuckets) })
  }

  private async flushExclusive (force: boolean): Promise<void> {
    await this.exclusive(async () => await this.flushOnce(force))
  }

  /** one flush, derivation or recovery of this instance at a time (one pool connection for rollups) */
  private async exclusive (fn: () => Promise<void>): Promise<void> {
    while (this.running) await this.running
    this.running = fn().finally(() => { this.running = null })
    await this.running
  }

  /** the range derivation: minutes and hours that have closed (forced: up to the end of the hour) */
  private async deriveDue (force: boolean): Promise<void> {
    await this.inTransaction(async c => { await deriveRollups(c, [], { nowUs: this.now() * 1000, force }) })
      .catch(err => this.log.warn({ err: { message: (err as Error).message } }, 'rollup derivation failed; retried at the next one'))
  }

  private async flushOnce (force: boolean): Promise<void> {
    const t0 = performance.now()
    try {
      await this.flushSteps(force)
    } finally {
      this.stats.lastFlushMs = Math.round(performance.now() - t0)
      if (this.stats.lastFlushMs > this.stats.maxFlushMs) this.stats.maxFlushMs = this.stats.lastFlushMs
    }
  }

  private async flushSteps (force: boolean): Promise<void> {
    // the 10 s buckets that have closed (2 s grace for frames on their way), future ones at once
    // (a rig clock ahead), everything when forced
    const nowUs = this.now() * 1000
    for (const [b0, oh] of this.open) {
      if (force || b0 + WIDTHS_US[0]! + 2_000_000 <= nowUs || b0 > nowUs + WIDTHS_US[0]!) {
        this.held.mergeFrom(oh)
        this.open.delete(b0)
      }
    }
    const h = this.held
    if (h.frames > 0) {
      this.held = new Held()
      try {
        const claimed = await this.inTransaction(async c => {
          const r = (await c.query<{ n: number, rig_id: number[] | null, seq: string[] | null, first_start: Date[] | null, last_start: Date[] | null }>(CLAIM, [h.kRig, h.kSeq, h.frames])).rows[0]!
          let touched: Touched = []
          if (r.n === h.frames) {
            // in chunks of rows, in key order, with a pause between: the same transaction, but no
            // single statement holding a core for long (ingest's batches share the machine)
            for await (const chunk of h.params(this.chunkRows)) {
              await c.query(UPSERT, chunk)
              if (this.chunkPauseMs > 0) await new Promise(resolve => setTimeout(resolve, this.chunkPauseMs))
            }
            touched = h.touched()
          } else if (r.n > 0) {
            // a recovery took some of these frames (and folded them): fold the rest from the database
            const f = await c.query<TouchedRow>(FOLD_CLAIMED, [r.rig_id, r.seq, r.first_start, r.last_start])
            touched = touchedOf(f.rows[0]!)
          }
          // late frames: the minutes and hours already derived that hold them, again (by key)
          await deriveRollups(c, touched, { nowUs: this.now() * 1000, force, range: false })
          return r.n
        })
        this.stats.flushes++
        this.stats.flushedFrames += claimed
        if (claimed !== h.frames) this.log.info({ held: h.frames, claimed }, 'rollup flush: some frames were already folded by recovery')
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, frames: h.frames }, 'rollup flush failed; retried at the next one')
        this.held.mergeFrom(h)
      }
    }
    if (Date.now() - this.lastRecover >= 30_000) {
      this.lastRecover = Date.now()
      // the timer's flushes are bounded (flush() and close() are not): a backlog of abandoned
      // markers (flushes that failed for minutes, an overload) is folded over several flushes, so
      // that the folds of new frames keep their turn in between (an unbounded loop held the rollup
      // lock for 15 minutes in a 5-minute overload run, while the new frames' summaries, not
      // folded, overflowed maxRows and were left to recovery as well)
      await this.recover(this.recoverAfterMs, 2000, force ? Infinity : this.flushMs / 2).catch(err => this.log.warn({ err: { message: (err as Error).message } }, 'rollup recovery failed; retried later'))
    }
    let buckets = this.held.buckets
    for (const oh of this.open.values()) buckets += oh.buckets
    this.stats.heldRows = buckets
  }

  /**
   * Runs one fold statement in a transaction with JIT off: its row estimates (unnest of large
   * arrays) cross jit_above_cost, and an EXPLAIN ANALYZE of a fold of 1,000 frames on PostgreSQL 15
   * showed ~70 ms of its ~760 ms spent compiling.
   */
  private async inTransaction<T> (fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect()
    let broken: Error | undefined
    try {
      await c.query('BEGIN')
      await c.query('SET LOCAL jit = off')
      // every flush, recovery and derivation of every instance, one at a time (rollup-derive.ts)
      await lockRollups(c)
      const r = await fn(c)
      await c.query('COMMIT')
      return r
    } catch (err) {
      try { await c.query('ROLLBACK') } catch (e) { broken = e as Error }
      throw err
    } finally {
      c.release(broken)
    }
  }

  /**
   * Fold frames whose markers are older than `olderThanMs` (their writer never flushed), `chunk`
   * frames per transaction, until none is left or `budgetMs` has passed (the rest: next time).
   * Returns how many.
   */
  async recover (olderThanMs: number, chunk = 2000, budgetMs = Infinity): Promise<number> {
    let total = 0
    const t0 = performance.now()
    for (;;) {
      const n = await this.inTransaction(async c => {
        const r = await c.query<{ frames: number } & TouchedRow>(RECOVER, [olderThanMs / 1000, chunk])
        await deriveRollups(c, touchedOf(r.rows[0]!), { nowUs: this.now() * 1000, range: false })
        return r.rows[0]!.frames
      })
      total += n
      if (n < chunk || performance.now() - t0 >= budgetMs) break
    }
    if (total > 0) {
      this.stats.recoveredFrames += total
      this.log.info({ frames: total }, 'rollups: folded frames that an earlier writer stored but did not fold')
    }
    return total
  }

  /** Stop the timer and fold what is held. */
  async close (): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    if (this.deriveTimer) clearTimeout(this.deriveTimer)
    this.timer = this.deriveTimer = null
    await this.flush()
  }
}
