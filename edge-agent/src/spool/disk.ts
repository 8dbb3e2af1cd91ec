// Disk spool: every frame is written (and, by default, fsynced) before append() resolves, so before
// it is published; it leaves the disk after its PUBACK. Survives SIGKILL and, with fsync 'always',
// power loss. Format in segment.ts; policy and risks in docs/edge.md.
import { closeSync, openSync, readSync } from 'node:fs'
import { appendFile, mkdir, open, readdir, readFile, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError } from '../../../common/src/errors.js'
import type { Logger } from '../../../common/src/logger.js'
import { ackName, encodeAcks, encodeRecord, HEADER_BYTES, parseAcks, RECORD_HEADER_BYTES, scanSegment, SEGMENT_MAGIC, SEGMENT_RE, segmentName } from './segment.js'
import { SpoolIndex, UNSENT, type IndexEntry } from './index-queue.js'
import type { Spool, SpoolBounds, SpoolFrame, SpoolStats } from './types.js'

/**
 * always: fsync before append() resolves (group commit: appends queued meanwhile share one fsync);
 * survives power loss. interval: fsync every fsyncIntervalMs; survives SIGKILL, a power cut may
 * lose the last interval. never: leaves it to the OS; survives SIGKILL only.
 */
export type FsyncPolicy = 'always' | 'interval' | 'never'

export interface DiskSpoolOptions extends SpoolBounds {
  dir: string
  /** default 'always' */
  fsync?: FsyncPolicy
  /** for fsync 'interval'; default 1000 ms */
  fsyncIntervalMs?: number
  /** a segment file is closed and a new one started past this size; default 4 MiB */
  segmentBytes?: number
  /** payload bytes kept in memory for frames not yet taken (the rest is read back from disk); default 4 MiB */
  cacheBytes?: number
  log?: Logger
}

/** 2 days of one rig at 1 frame/s */
export const DISK_DEFAULT_MAX_FRAMES = 172_800
export const DISK_DEFAULT_MAX_BYTES = 512 * 1024 * 1024
const ACK_FLUSH_MS = 100


interface Segment {
  first: number
  path: string
  ackPath: string
  /** records not acknowledged or dropped */
  live: number
  size: number
  pendingAcks: number[]
  deleted: boolean
}

interface Entry extends IndexEntry { seg: Segment, off: number, payload: Uint8Array | undefined }

interface Pending { frame: SpoolFrame, resolve: (dropped: number) => void, reject: (err: unknown) => void }

export interface DiskSpool extends Spool {
  readonly dir: string
  /** what open() found: frames recovered, bytes of torn records cut off, segments with corrupt records */
  readonly recovered: { frames: number, tornBytes: number, corruptSegments: number }
}

export async function createDiskSpool (o: DiskSpoolOptions): Promise<DiskSpool> {
  const maxFrames = o.maxFrames ?? DISK_DEFAULT_MAX_FRAMES
  const maxBytes = o.maxBytes ?? DISK_DEFAULT_MAX_BYTES
  const policy = o.fsync ?? 'always'
  const segmentBytes = o.segmentBytes ?? 4 * 1024 * 1024
  const cacheBytes = o.cacheBytes ?? 4 * 1024 * 1024
  const intervalMs = o.fsyncIntervalMs ?? 1000
  if (!Number.isInteger(maxFrames) || maxFrames < 1) throw rsError('RS_ERR_CONFIG', `spool maxFrames must be a positive integer, got ${maxFrames}`)
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw rsError('RS_ERR_CONFIG', `spool maxBytes must be a positive integer, got ${maxBytes}`)
  if (!['always', 'interval', 'never'].includes(policy)) throw rsError('RS_ERR_CONFIG', `spool fsync must be always, interval or never, got ${JSON.stringify(policy)}`)
  if (!Number.isInteger(segmentBytes) || segmentBytes < 1024) throw rsError('RS_ERR_CONFIG', `spool segmentBytes must be an integer >= 1024, got ${segmentBytes}`)
  if (!Number.isInteger(intervalMs) || intervalMs < 1) throw rsError('RS_ERR_CONFIG', `spool fsyncIntervalMs must be a positive integer, got ${intervalMs}`)
  const dir = o.dir
  const fail = (what: string, err: unknown): Error => rsError('RS_ERR_AGENT_STATE', `spool ${dir}: ${what}: ${(err as Error).message}`, err)

  // the index is the memory spool's; what leaves it leaves its segment here (uncache, ack file, delete)
  const index = new SpoolIndex<Entry>(maxFrames, maxBytes, e => onForget(e))
  const segments = new Map<number, Segment>()
  let lastSeq = 0
  let cached = 0
  const recovered = { frames: 0, tornBytes: 0, corruptSegments: 0 }
  let lastSeqCertain = true

  // ---- open: scan segments, cut a torn tail, apply the ack files ----
  try {
    await mkdir(dir, { recursive: true })
  } catch (err) { throw fail('cannot create the folder', err) }
  const names = (await readdir(dir)).filter(n => SEGMENT_RE.test(n)).sort()
  let active: Segment | undefined
  for (let i = 0; i < names.length; i++) {
    const first = Number(SEGMENT_RE.exec(names[i])![1])
    const seg: Segment = { first, path: join(dir, names[i]), ackPath: join(dir, ackName(first)), live: 0, size: 0, pendingAcks: [], deleted: false }
    const buf = await readFile(seg.path).catch((err: unknown) => { throw fail(`cannot read ${seg.path}`, err) })
    const scan = scanSegment(buf)
    const newest = i === names.length - 1
    if (scan.stoppedBecause !== undefined) {
      // a power loss mid-append leaves the file ending inside the last record; anything else
      // (a bad header on a file long enough to hold one, a bad checksum or seq before the end)
      // is damage that may have hidden frames that were appended, and so published
      const tornTail = newest && (buf.byteLength < HEADER_BYTES || scan.stoppedBecause === 'torn record' || scan.stoppedBecause === 'torn record header')
      if (!tornTail) {
        lastSeqCertain = false
        if (newest) o.log?.error({ segment: seg.path, reason: scan.stoppedBecause, kept: scan.records.length, bytes: buf.byteLength }, 'newest spool segment is damaged (not a torn tail); frames after the bad record are lost, and the seq resumes at the reservation')
      }
      if (newest) {
        // power loss mid-append: the record was never acknowledged as appended, so never published
        recovered.tornBytes += buf.byteLength - scan.validBytes
        if (scan.validBytes < HEADER_BYTES) {
          // keep the file (its name still records that seqs below it were used): header only
          await writeFile(seg.path, SEGMENT_MAGIC)
          scan.validBytes = HEADER_BYTES
        } else {
          await truncate(seg.path, scan.validBytes)
        }
      } else {
        recovered.corruptSegments++
        o.log?.error({ segment: seg.path, reason: scan.stoppedBecause, kept: scan.records.length }, 'spool segment is corrupt; frames after the bad record are lost')
      }
    }
    seg.size = scan.validBytes
    // a segment is named after the first frame written to it: every seq before that was used
    if (first - 1 > lastSeq) lastSeq = first - 1
    const acked = new Set(parseAcks(await readFile(seg.ackPath).catch(() => Buffer.alloc(0))))
    for (const r of scan.records) {
      if (r.seq > lastSeq) lastSeq = r.seq
      // a seq written twice (a failed write retried in a new segment) is kept once
      if (acked.has(r.seq) || index.has(r.seq)) continue
      index.push({ seq: r.seq, seg, off: r.offset, len: r.length, state: UNSENT, payload: undefined })
      seg.live++
    }
    recovered.frames += seg.live
    segments.set(first, seg)
    active = seg
  }
  // ---- files ----
  let activeFh: FileHandle | undefined
  let dirty = false
  /** the last write to the active segment failed: start a new one */
  let brokenActive = false
  let readFd: { seg: Segment, fd: number } | undefined
  const background = new Set<Promise<unknown>>()
  const track = (p: Promise<unknown>): void => {
    background.add(p)
    void p.finally(() => background.delete(p))
  }

  function deleteSegment (seg: Segment): void {
    seg.deleted = true
    seg.pendingAcks = []
    segments.delete(seg.first)
    if (readFd?.seg === seg) { closeSync(readFd.fd); readFd = undefined }
    track(Promise.all([unlink(seg.path), unlink(seg.ackPath).catch(() => {})]).catch((err: unknown) => o.log?.warn({ err, segment: seg.path }, 'cannot delete an acknowledged spool segment')))
  }

  async function syncDir (): Promise<void> {
    const d = await open(dir, 'r')
    try { await d.sync() } finally { await d.close() }
  }

  async function roll (firstSeq: number): Promise<void> {
    const old = active
    if (activeFh) {
      if (policy !== 'never' && dirty) await activeFh.sync()
      await activeFh.close()
      activeFh = undefined
      dirty = false
    }
    const seg: Segment = { first: firstSeq, path: join(dir, segmentName(firstSeq)), ackPath: join(dir, ackName(firstSeq)), live: 0, size: HEADER_BYTES, pendingAcks: [], deleted: false }
    // 'w+': a file of that name can only be a segment whose first write failed (nothing indexed in it)
    const fh = await open(seg.path, 'w+')
    await fh.write(SEGMENT_MAGIC)
    if (policy !== 'never') {
      await fh.sync()
      await syncDir() // the new file's name must survive a power cut too
    }
    activeFh = fh
    segments.set(firstSeq, seg)
    active = seg
    if (old?.first === firstSeq) old.deleted = true // the same file, just made again: nothing to unlink
    else if (old && old.live === 0 && !old.deleted) deleteSegment(old)
  }

  for (const seg of [...segments.values()]) if (seg !== active && seg.live === 0) deleteSegment(seg)

  const queue: Pending[] = []
  let flushing: Promise<void> | undefined
  /** the last seq whose append succeeded */
  let lastWritten = lastSeq
  /** size of the active segment before the batch being written (what a failed batch is cut back to) */
  let goodSize = 0

  async function writeBatch (batch: Pending[]): Promise<Array<{ off: number, seg: Segment }>> {
    const out: Array<{ off: number, seg: Segment }> = []
    let bufs: Buffer[] = []
    goodSize = active?.size ?? 0
    const flush = async (): Promise<void> => {
      if (bufs.length === 0) return
      const total = bufs.reduce((n, b) => n + b.byteLength, 0)
      let { bytesWritten } = await activeFh!.writev(bufs)
      // a short write (e.g. at a file size limit) is not an error by itself: write the rest, which
      // then fails with the real error, or completes
      while (bytesWritten < total) {
        const rest = Buffer.concat(bufs).subarray(bytesWritten)
        const n = (await activeFh!.write(rest)).bytesWritten
        if (n === 0) throw new Error(`short write: ${bytesWritten} of ${total} bytes`)
        bytesWritten += n
      }
      dirty = true
      bufs = []
    }
    for (const p of batch) {
      const rec = encodeRecord(p.frame.seq, p.frame.payload)
      const len = RECORD_HEADER_BYTES + rec[1].byteLength
      if (!active || active.deleted || brokenActive || (active.size + len > segmentBytes && active.size > HEADER_BYTES)) {
        await flush()
        await roll(p.frame.seq)
        goodSize = HEADER_BYTES
        brokenActive = false
      } else if (!activeFh) {
        activeFh = await open(active.path, 'a+')
      }
      out.push({ off: active!.size + RECORD_HEADER_BYTES, seg: active! })
      active!.size += len
      bufs.push(rec[0], rec[1])
    }
    await flush()
    if (policy === 'always') {
      await activeFh!.sync()
      dirty = false
    }
    return out
  }

  async function flushLoop (): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0)
      let placed: Array<{ off: number, seg: Segment }>
      try {
        placed = await writeBatch(batch)
      } catch (err) {
        // Fail this batch and everything queued behind it, so a retry starts again in seq order,
        // in a new segment (the old one may end in a torn record).
        const e = fail('cannot write a frame', err)
        const failed = [...batch, ...queue.splice(0)]
        lastSeq = lastWritten
        const fh = activeFh
        activeFh = undefined
        dirty = false
        await fh?.close().catch(() => {})
        // cut what this batch wrote (best effort), and write the retry to a new segment: a
        // segment that hit a per-file limit (EFBIG) or an I/O error is not written to again
        if (active) {
          const seg = active
          await truncate(seg.path, goodSize).then(() => { seg.size = goodSize }, () => {})
          brokenActive = true
        }
        for (const p of failed) p.reject(e)
        continue
      }
      lastWritten = batch[batch.length - 1].frame.seq
      for (let i = 0; i < batch.length; i++) batch[i].resolve(insert(batch[i].frame, placed[i].seg, placed[i].off))
    }
    flushing = undefined
  }

  const syncTimer = policy === 'interval'
    ? setInterval(() => {
      if (!dirty || !activeFh || flushing) return
      dirty = false
      track(activeFh.sync().catch((err: unknown) => o.log?.warn({ err }, 'spool fsync failed')))
    }, intervalMs)
    : undefined
  syncTimer?.unref()

  let ackTimer: NodeJS.Timeout | undefined
  let ackChain: Promise<void> = Promise.resolve()
  function flushAcks (): Promise<void> {
    ackTimer = undefined
    const work: Array<[Segment, number[]]> = []
    for (const seg of segments.values()) {
      if (seg.pendingAcks.length > 0) work.push([seg, seg.pendingAcks.splice(0)])
    }
    // An ack lost in a crash only means the frame is sent again; ingest dedups by (tenant, rig, seq).
    ackChain = ackChain.then(async () => {
      for (const [seg, seqs] of work) {
        if (seg.deleted) continue
        await appendFile(seg.ackPath, encodeAcks(seqs)).catch((err: unknown) => o.log?.warn({ err, file: seg.ackPath }, 'cannot record acknowledged frames'))
      }
    })
    return ackChain
  }

  // ---- the index ----
  function insert (frame: SpoolFrame, seg: Segment, off: number): number {
    const n = index.makeRoom(frame.payload.byteLength)
    const keep = cached + frame.payload.byteLength <= cacheBytes
    const e: Entry = { seq: frame.seq, seg, off, len: frame.payload.byteLength, state: UNSENT, payload: keep ? frame.payload : undefined }
    if (keep) cached += e.len
    index.push(e)
    seg.live++
    return n
  }

  function uncache (e: Entry): void {
    if (e.payload) { cached -= e.len; e.payload = undefined }
  }

  /** an entry left the index (acknowledged or dropped): free its cached payload, record it in its segment */
  function onForget (e: Entry): void {
    uncache(e)
    const seg = e.seg
    seg.live--
    if (seg.live === 0 && seg !== active) deleteSegment(seg)
    else if (!seg.deleted) {
      seg.pendingAcks.push(e.seq)
      ackTimer ??= setTimeout(() => { void flushAcks() }, ACK_FLUSH_MS)
    }
  }

  function readPayload (e: Entry): Uint8Array {
    if (e.payload) {
      const p = e.payload
      uncache(e)
      return p
    }
    if (readFd?.seg !== e.seg) {
      if (readFd) closeSync(readFd.fd)
      readFd = { seg: e.seg, fd: openSync(e.seg.path, 'r') }
    }
    const buf = Buffer.allocUnsafe(e.len)
    let got = 0
    while (got < e.len) {
      const n = readSync(readFd.fd, buf, got, e.len - got, e.off + got)
      if (n === 0) throw rsError('RS_ERR_AGENT_STATE', `spool ${e.seg.path}: frame ${e.seq} is cut short`)
      got += n
    }
    return buf
  }

  let closed = false
  return {
    dir,
    recovered,
    syncedAppends: policy === 'always',
    lastSeqCertain,
    lastSeq: () => lastSeq,
    append (frame: SpoolFrame): Promise<number> {
      if (closed) return Promise.reject(new Error('spool is closed'))
      if (!(frame.seq > lastSeq)) return Promise.reject(new RangeError(`spool: seq ${frame.seq} is not after ${lastSeq}`))
      if (!Number.isSafeInteger(frame.seq)) return Promise.reject(new RangeError(`spool: seq ${frame.seq} is not a safe integer`))
      lastSeq = frame.seq
      return new Promise((resolve, reject) => {
        queue.push({ frame, resolve, reject })
        flushing ??= flushLoop()
      })
    },
    take (): SpoolFrame | undefined {
      const e = index.next()
      if (!e) return undefined
      const payload = readPayload(e) // may throw: the entry then stays unsent
      index.markInflight(e)
      return { seq: e.seq, payload }
    },
    async ack (seq: number): Promise<void> { index.ack(seq) },
    release: (seq: number): void => index.release(seq),
    rewind: (): void => index.rewind(),
    stats: (): SpoolStats => index.stats(),
    async close (): Promise<void> {
      if (closed) return
      closed = true
      await flushing
      if (syncTimer) clearInterval(syncTimer)
      if (ackTimer) clearTimeout(ackTimer)
      await flushAcks()
      if (activeFh) {
        if (policy !== 'never' && dirty) await activeFh.sync()
        await activeFh.close()
        activeFh = undefined
      }
      if (readFd) { closeSync(readFd.fd); readFd = undefined }
      await Promise.all([...background])
      index.clear()
      cached = 0
    }
  }
}
