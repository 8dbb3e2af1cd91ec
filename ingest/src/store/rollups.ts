// Deferred rollups for the plain storage path (migration 010). Folding every batch into the
// 10 s, minute and hour rollups inside the batch transaction costs one upsert per (rig, channel,
// rollup) per batch: at 500 rigs and a batch every few tens of milliseconds that was most of
// ingest's database time, and each upsert rewrote a row that the next batch rewrote again.
// Here the batch transaction writes only a marker per new frame (rollup_pending); the frames'
// per-window summaries stay in memory and a flush every couple of seconds folds all of them into
// the three rollups in ONE statement that also deletes their markers. So a bucket row is
// rewritten once per flush instead of once per batch, and each frame is added exactly once:
//  - the flush adds only the frames whose markers its own DELETE removed (the claim);
//  - frames whose instance died before its flush keep their markers, and `recover` (any
//    instance, at start and then every 30 s, for markers older than a threshold) claims them
//    and folds them from the summaries stored in frame_channels;
//  - a flush that fails keeps its rows for the next one; past a bound they are let go from
//    memory and recovery folds them from the database instead.
// Rollups therefore trail the commit by at most about one flush interval (default 2 s), or the
// recovery threshold after a crash. docs/storage.md, "Rollups".
import type pg from 'pg'
import type { Logger } from '../../../common/src/logger.js'
import type { AcceptedFrame } from '../validate.js'
import { floatText } from './copy-text.js'
import { usToTimestamp } from './time.js'

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

const FLUSH = `
WITH claimed AS (
  DELETE FROM rollup_pending d
  USING unnest($1::int[], $2::bigint[]) AS k(rig_id, seq)
  WHERE d.rig_id = k.rig_id AND d.seq = k.seq
  RETURNING d.rig_id, d.seq
), rows AS (
  SELECT u.rig_id, u.channel, u.start_time, u.n, u.min, u.max, u.mean
  FROM unnest($3::int[], $4::bigint[], $5::text[], $6::timestamptz[], $7::int[], $8::real[], $9::real[], $10::float8[])
    AS u(rig_id, seq, channel, start_time, n, min, max, mean)
  JOIN claimed c ON c.rig_id = u.rig_id AND c.seq = u.seq
),${foldCtes('rows')}
SELECT count(*)::int AS frames FROM claimed`

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
),${foldCtes('rows')}
SELECT count(*)::int AS frames FROM claimed`

export interface RollupFolderOptions {
  /** how often held summaries are folded in; default 2000 ms */
  flushMs?: number
  /** markers older than this are recovered from the database; default 30 s */
  recoverAfterMs?: number
  /** channel summaries held in memory at most; beyond, they are left to recovery; default 500,000 */
  maxRows?: number
}

export interface RollupStats { flushes: number, flushedFrames: number, recoveredFrames: number, lostToRecovery: number, heldRows: number }

/** Parallel arrays: one entry per frame (keys) and one per channel summary (rows). */
class Held {
  kRig: number[] = []; kSeq: number[] = []
  rig: number[] = []; seq: number[] = []; channel: string[] = []; start: string[] = []
  n: number[] = []; min: string[] = []; max: string[] = []; mean: string[] = []
  get rows (): number { return this.rig.length }
}

export class RollupFolder {
  private held = new Held()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastRecover = 0
  private readonly flushMs: number
  private readonly recoverAfterMs: number
  private readonly maxRows: number
  readonly stats: RollupStats = { flushes: 0, flushedFrames: 0, recoveredFrames: 0, lostToRecovery: 0, heldRows: 0 }

  constructor (private readonly pool: pg.Pool, private readonly log: Logger, o: RollupFolderOptions = {}) {
    this.flushMs = o.flushMs ?? 2000
    this.recoverAfterMs = o.recoverAfterMs ?? 30_000
    this.maxRows = o.maxRows ?? 500_000
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

  /** Hold the summaries of frames that were just committed (with their markers). */
  add (frames: AcceptedFrame[], idOf: (f: AcceptedFrame) => number): void {
    const h = this.held
    for (const f of frames) {
      const id = idOf(f)
      h.kRig.push(id); h.kSeq.push(f.seq)
      for (const c of f.channels) {
        h.rig.push(id); h.seq.push(f.seq); h.channel.push(c.id); h.start.push(usToTimestamp(c.startUs))
        h.n.push(c.samples.length); h.min.push(floatText(c.min)); h.max.push(floatText(c.max)); h.mean.push(String(c.mean))
      }
    }
    if (h.rows > this.maxRows) {
      // the database cannot take the flushes: keep memory bounded; the markers are still there
      this.stats.lostToRecovery += h.kRig.length
      this.log.warn({ frames: h.kRig.length, rows: h.rows }, 'rollup flushes are failing: summaries let go from memory; recovery folds them from the stored frames')
      this.held = new Held()
    }
    this.stats.heldRows = this.held.rows
    if (this.timer === null) {
      this.timer = setInterval(() => { void this.flush().catch(() => {}) }, this.flushMs)
      this.timer.unref()
    }
  }

  /** Fold what is held (and, at most every 30 s, recover abandoned markers). Errors are logged; held rows are kept. */
  async flush (): Promise<void> {
    while (this.running) await this.running
    this.running = this.flushOnce().finally(() => { this.running = null })
    await this.running
  }

  private async flushOnce (): Promise<void> {
    const h = this.held
    if (h.kRig.length > 0) {
      this.held = new Held()
      try {
        const r = await this.pool.query<{ frames: number }>(FLUSH, [h.kRig, h.kSeq, h.rig, h.seq, h.channel, h.start, h.n, h.min, h.max, h.mean])
        this.stats.flushes++
        this.stats.flushedFrames += r.rows[0].frames
        // fewer claimed than held: a recovery took those markers (and folded them) first
        if (r.rows[0].frames !== h.kRig.length) this.log.info({ held: h.kRig.length, claimed: r.rows[0].frames }, 'rollup flush: some frames were already folded by recovery')
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, frames: h.kRig.length }, 'rollup flush failed; retried at the next one')
        this.prepend(h)
      }
    }
    if (Date.now() - this.lastRecover >= 30_000) {
      this.lastRecover = Date.now()
      await this.recover(this.recoverAfterMs).catch(err => this.log.warn({ err: { message: (err as Error).message } }, 'rollup recovery failed; retried later'))
    }
    this.stats.heldRows = this.held.rows
  }

  private prepend (old: Held): void {
    const cur = this.held
    for (const k of Object.keys(cur) as Array<keyof Held>) {
      const a = old[k] as unknown[]; const b = cur[k] as unknown[]
      if (Array.isArray(a)) { for (const x of b) a.push(x) }
    }
    this.held = old
  }

  /** Fold frames whose markers are older than `olderThanMs` (their writer never flushed). Returns how many. */
  async recover (olderThanMs: number, chunk = 2000): Promise<number> {
    let total = 0
    for (;;) {
      const r = await this.pool.query<{ frames: number }>(RECOVER, [olderThanMs / 1000, chunk])
      const n = r.rows[0].frames
      total += n
      if (n < chunk) break
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
    this.timer = null
    await this.flush()
  }
}
