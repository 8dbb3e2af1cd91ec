// The PostgreSQL sink: one transaction per batch. Frame keys first (ON CONFLICT DO NOTHING
// RETURNING tells which frames are new), then COPY of only the new frames' channel rows, the rig
// summaries, the dead letters, COMMIT. Rows are written in (rig, seq) order so two ingest
// instances that meet on the same keys or rigs take their locks in the same order.
// On the plain storage path (./storage.ts) the writer also keeps daily partitions ahead (at the
// first write, when the UTC day changes, and for any day a batch needs; in autocommit, before the
// transaction) and adds the batch to the 10 s, minute and hour rollups inside the transaction. On
// TimescaleDB the continuous aggregates do that.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import type { AcceptedFrame } from '../validate.js'
import type { DeadLetterRecord } from '../dead-letter.js'
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, FRAME_CHANNEL_COLUMNS, floatText, frameChannelRows, frameChannelRowsBinary, samplesText } from './copy-text.js'
import { classifyPgError } from './pg-errors.js'
import { usToTimestamp } from './time.js'
import { dayOf, ensureFramePartitions, PARTITION_DAYS_AHEAD, recordedStoragePath, type StoragePath } from './storage.js'
import { FOLD_INLINE, INSERT_PENDING, RollupFolder, type RollupFolderOptions, type RollupStats } from './rollups.js'
import { lockRollups } from './rollup-derive.js'
import type { Logger } from '../../../common/src/logger.js'
import { pino } from 'pino'

export interface WriteBatch {
  /** accepted frames, unique by (tenant, rig, seq) within the batch */
  frames: AcceptedFrame[]
  deadLetters: DeadLetterRecord[]
}

export interface WriteResult {
  /** frames this transaction stored */
  stored: AcceptedFrame[]
  /** frames whose (tenant, rig, seq) the database already held */
  duplicates: AcceptedFrame[]
}

/** A durable sink of frame batches. Contract: write() resolves only after COMMIT; keys dedup across calls, writers and restarts. */
export interface FrameWriter {
  write (batch: WriteBatch): Promise<WriteResult>
  /**
   * deferred rollups: fold what is held now (tests, before reading rollups) and derive the minutes
   * and hours up to the end of the current hour; `{ openBuckets: false }` derives only the closed
   * ones, as the flush timer does
   */
  flushRollups? (opts?: { openBuckets?: boolean }): Promise<void>
  rollupStats? (): RollupStats | null
  /** deferred rollups: stop the flush timer and fold what is held */
  close? (): Promise<void>
}

const COPY_SQL = `COPY frame_channels (${FRAME_CHANNEL_COLUMNS.join(', ')}) FROM STDIN`
const COPY_BINARY_SQL = `COPY frame_channels (${FRAME_CHANNEL_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`

// The same rows as COPY, as one INSERT of unnested arrays: for servers without COPY FROM STDIN
// (PGlite behind a socket, tests/support/timescale.ts). Samples travel as real[] literals.
const INSERT_CHANNELS = `
INSERT INTO frame_channels (${FRAME_CHANNEL_COLUMNS.join(', ')})
SELECT rig_id, channel, start_time, seq, rate_hz, n, min, max, mean, samples::real[]
FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::bigint[], $5::real[], $6::int[], $7::real[], $8::real[], $9::float8[], $10::text[])
  AS u(rig_id, channel, start_time, seq, rate_hz, n, min, max, mean, samples)`

const INSERT_KEYS = `
INSERT INTO frame_keys (rig_id, seq, window_start, received_at)
SELECT * FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])
ON CONFLICT (rig_id, seq) DO NOTHING
RETURNING rig_id, seq`

// Locks the rig rows in id order (the CTE is materialised because of the locking clause), then adds
// this batch. NO KEY UPDATE, not UPDATE: the frame_keys FK check holds KEY SHARE on the same rows,
// and FOR UPDATE would conflict with another writer's KEY SHARE (a deadlock, seen in the test).
const UPDATE_RIGS = `
WITH locked AS (SELECT id FROM rigs WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE)
UPDATE rigs r SET
  last_seq = GREATEST(r.last_seq, u.last_seq),
  last_seen = GREATEST(r.last_seen, u.last_seen),
  frames = r.frames + u.n,
  profile = u.profile
FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::int[], $5::text[]) AS u(id, last_seq, last_seen, n, profile)
JOIN locked l ON l.id = u.id
WHERE r.id = u.id`

const INSERT_DEAD = `
INSERT INTO dead_letters (received_at, reason, detail, topic, tenant, rig, seq, payload, payload_size)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bytea[], $9::int[])`

const REGISTER_RIGS = `
INSERT INTO rigs (tenant, rig, profile)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant, rig, profile) ORDER BY 1, 2
ON CONFLICT (tenant, rig) DO NOTHING`

const RIG_IDS = `
SELECT r.id, r.tenant, r.rig FROM rigs r JOIN unnest($1::text[], $2::text[]) AS u(tenant, rig) ON r.tenant = u.tenant AND r.rig = u.rig`

const COPY_CHUNK = 256 * 1024

const rigKey = (tenant: string, rig: string): string => tenant + '/' + rig

export interface PgFrameWriterOptions {
  /** how channel rows are sent: COPY FROM STDIN in binary format (default), in text format, or one INSERT of arrays */
  rows?: 'copy' | 'copy-binary' | 'insert'
  /**
   * Plain path only: 'inline' folds each batch into the rollups inside its transaction (default);
   * 'deferred' writes a marker per frame and folds every `rollupFlushMs` (./rollups.ts; ingest uses it)
   */
  rollups?: 'inline' | 'deferred'
  rollupOptions?: RollupFolderOptions
  /** for the deferred rollups' warnings */
  log?: Logger
}

const silent: Logger = pino({ level: 'silent' })

export function createPgFrameWriter (pool: pg.Pool, opts: PgFrameWriterOptions = {}): FrameWriter {
  const rowsMode = opts.rows ?? 'copy-binary' // 2x text COPY's frames/s (bench copy, docs/benchmarks.md)
  const folder = opts.rollups === 'deferred' ? new RollupFolder(pool, opts.log ?? silent, opts.rollupOptions) : null
  // rig ids are immutable once assigned, so a process-wide cache is always right
  const rigIds = new Map<string, number>()
  let storage: StoragePath | 'legacy' | undefined
  // plain path: UTC days [ensuredFrom, ensuredTo] known to have partitions, as of UTC day ensuredOn
  let ensuredFrom = Infinity
  let ensuredTo = -Infinity
  let ensuredOn = -1

  async function prepareStorage (client: pg.PoolClient, frames: AcceptedFrame[]): Promise<void> {
    // a database migrated before rs_storage existed (001 only) has neither partitions nor rollups
    storage ??= await recordedStoragePath(client) ?? 'legacy'
    if (storage !== 'plain') return
    const today = dayOf(Date.now() * 1000)
    let lo = today
    let hi = today
    for (const f of frames) {
      for (const c of f.channels) {
        const d = dayOf(c.startUs)
        if (d < lo) lo = d
        if (d > hi) hi = d
      }
    }
    // once at the first write, then once per new UTC day, and for any day outside what is known
    if (today === ensuredOn && lo >= ensuredFrom && hi <= ensuredTo) return
    const from = Math.min(lo, today - 1)
    const to = Math.max(hi, today + PARTITION_DAYS_AHEAD)
    await ensureFramePartitions(client, from, to)
    if (today !== ensuredOn) { ensuredFrom = from; ensuredTo = to; ensuredOn = today } else {
      ensuredFrom = Math.min(ensuredFrom, from); ensuredTo = Math.max(ensuredTo, to)
    }
  }

  async function resolveRigIds (client: pg.PoolClient, frames: AcceptedFrame[]): Promise<void> {
    const missing = new Map<string, AcceptedFrame>()
    for (const f of frames) {
      const k = rigKey(f.tenant, f.rig)
      if (!rigIds.has(k) && !missing.has(k)) missing.set(k, f)
    }
    if (missing.size === 0) return
    const list = [...missing.values()]
    const tenants = list.map(f => f.tenant)
    const rigs = list.map(f => f.rig)
    // autocommit, outside the batch transaction: registering a rig is idempotent and keeps no lock
    await client.query(REGISTER_RIGS, [tenants, rigs, list.map(f => f.profile)])
    const r = await client.query<{ id: number, tenant: string, rig: string }>(RIG_IDS, [tenants, rigs])
    for (const row of r.rows) rigIds.set(rigKey(row.tenant, row.rig), row.id)
  }

  const idOf = (f: AcceptedFrame): number => {
    const id = rigIds.get(rigKey(f.tenant, f.rig))
    if (id === undefined) throw new Error(`rig ${f.tenant}/${f.rig} has no id after registration`)
    return id
  }

  async function insertKeys (client: pg.PoolClient, frames: AcceptedFrame[]): Promise<Set<string>> {
    const r = await client.query<{ rig_id: number, seq: string }>(INSERT_KEYS, [
      frames.map(idOf),
      frames.map(f => f.seq),
      frames.map(f => usToTimestamp(f.windowStartUs)),
      frames.map(f => usToTimestamp(f.receivedUs))
    ])
    return new Set(r.rows.map(row => `${row.rig_id}/${row.seq}`))
  }

  async function copyChannels (client: pg.PoolClient, frames: AcceptedFrame[]): Promise<void> {
    if (rowsMode === 'insert') return await insertChannels(client, frames)
    if (rowsMode === 'copy-binary') {
      const copy = client.query(copyStreams.from(COPY_BINARY_SQL))
      await pipeline(Readable.from(binaryRowsOf(frames), { objectMode: false }), copy)
      return
    }
    const copy = client.query(copyStreams.from(COPY_SQL))
    await pipeline(Readable.from(rowsOf(frames), { objectMode: false }), copy)
  }

  async function insertChannels (client: pg.PoolClient, frames: AcceptedFrame[]): Promise<void> {
    const cols: unknown[][] = Array.from({ length: 10 }, () => [])
    for (const f of frames) {
      const id = idOf(f)
      for (const c of f.channels) {
        // floats as text, as COPY sends them (keeps -0)
        const row = [id, c.id, usToTimestamp(c.startUs), f.seq, floatText(c.rateHz), c.samples.length, floatText(c.min), floatText(c.max), String(c.mean), samplesText(c.samples)]
        for (let i = 0; i < 10; i++) cols[i].push(row[i])
      }
    }
    await client.query(INSERT_CHANNELS, cols)
  }

  function * rowsOf (frames: AcceptedFrame[]): Generator<string> {
    for (const f of frames) yield frameChannelRows(idOf(f), f)
  }

  // Rows leave in chunks of about COPY_CHUNK bytes: pg-copy-streams writes each chunk to the socket
  // on its own, and one write per frame (~6 kB) was ~2.6 s of ingest's CPU in a 40 s profile at
  // 2,750 rigs (bench ingest, session 6; a loopback write also runs the receiving side's TCP work)
  function * binaryRowsOf (frames: AcceptedFrame[]): Generator<Buffer> {
    let parts: Buffer[] = [BINARY_COPY_HEADER]
    let size = BINARY_COPY_HEADER.length
    for (const f of frames) {
      const b = frameChannelRowsBinary(idOf(f), f)
      parts.push(b)
      size += b.length
      if (size >= COPY_CHUNK) { yield Buffer.concat(parts, size); parts = []; size = 0 }
    }
    parts.push(BINARY_COPY_TRAILER)
    yield Buffer.concat(parts, size + BINARY_COPY_TRAILER.length)
  }

  async function updateRigs (client: pg.PoolClient, stored: AcceptedFrame[]): Promise<void> {
    const byRig = new Map<number, { lastSeq: number, lastSeenUs: number, n: number, profile: string }>()
    for (const f of stored) {
      const id = idOf(f)
      const s = byRig.get(id)
      if (!s) byRig.set(id, { lastSeq: f.seq, lastSeenUs: f.windowStartUs, n: 1, profile: f.profile })
      else {
        s.n++
        if (f.seq > s.lastSeq) { s.lastSeq = f.seq; s.profile = f.profile }
        if (f.windowStartUs > s.lastSeenUs) s.lastSeenUs = f.windowStartUs
      }
    }
    const ids = [...byRig.keys()].sort((a, b) => a - b)
    const v = ids.map(id => byRig.get(id)!)
    await client.query(UPDATE_RIGS, [ids, v.map(s => s.lastSeq), v.map(s => usToTimestamp(s.lastSeenUs)), v.map(s => s.n), v.map(s => s.profile)])
  }

  async function updateRollups (client: pg.PoolClient, stored: AcceptedFrame[]): Promise<void> {
    const rig: number[] = []; const channel: string[] = []; const start: string[] = []; const n: number[] = []
    const min: string[] = []; const max: string[] = []; const mean: string[] = []
    for (const f of stored) {
      const id = idOf(f)
      for (const c of f.channels) {
        rig.push(id); channel.push(c.id); start.push(usToTimestamp(c.startUs)); n.push(c.samples.length)
        min.push(floatText(c.min)); max.push(floatText(c.max)); mean.push(String(c.mean))
      }
    }
    // 10 s, minute and hour, added in key order; the shared rollup lock keeps a deferred
    // instance's derivation (./rollup-derive.ts) from replacing a minute while this adds to it
    await lockRollups(client, true)
    await client.query(FOLD_INLINE, [rig, channel, start, n, min, max, mean])
  }

  async function insertDeadLetters (client: pg.PoolClient, d: DeadLetterRecord[]): Promise<void> {
    await client.query(INSERT_DEAD, [
      d.map(x => usToTimestamp(x.receivedUs)), d.map(x => x.reason), d.map(x => x.detail), d.map(x => x.topic),
      d.map(x => x.tenant), d.map(x => x.rig), d.map(x => x.seq), d.map(x => x.payload), d.map(x => x.payloadSize)
    ])
  }

  return {
    async flushRollups (opts) { if (folder) await folder.flush(opts?.openBuckets ?? true) },
    rollupStats: () => folder ? { ...folder.stats } : null,
    async close () { if (folder) await folder.close() },
    async write (batch) {
      if (batch.frames.length === 0 && batch.deadLetters.length === 0) return { stored: [], duplicates: [] }
      let client: pg.PoolClient
      try { client = await pool.connect() } catch (err) { throw classifyPgError(err) }
      let release: Error | undefined
      try {
        await resolveRigIds(client, batch.frames)
        if (batch.frames.length > 0) await prepareStorage(client, batch.frames)
        const frames = [...batch.frames].sort((a, b) => idOf(a) - idOf(b) || a.seq - b.seq)
        await client.query('BEGIN')
        const stored: AcceptedFrame[] = []
        const duplicates: AcceptedFrame[] = []
        if (frames.length > 0) {
          const fresh = await insertKeys(client, frames)
          for (const f of frames) (fresh.has(`${idOf(f)}/${f.seq}`) ? stored : duplicates).push(f)
          if (stored.length > 0) {
            await copyChannels(client, stored)
            await updateRigs(client, stored)
            if (storage === 'plain') {
              if (folder) await client.query(INSERT_PENDING, RollupFolder.markers(stored, idOf))
              else await updateRollups(client, stored)
            }
          }
        }
        if (batch.deadLetters.length > 0) await insertDeadLetters(client, batch.deadLetters)
        await client.query('COMMIT')
        if (folder && storage === 'plain' && stored.length > 0) folder.add(stored, idOf)
        return { stored, duplicates }
      } catch (err) {
        try { await client.query('ROLLBACK') } catch (e) { release = e as Error }
        // a connection that failed mid-transaction is not given back to the pool
        const classified = classifyPgError(err)
        if ((classified as { code?: string }).code === 'RS_ERR_DB_UNAVAILABLE') release ??= err as Error
        throw classified
      } finally {
        client.release(release)
      }
    }
  }
}
