// In-memory spool: frames held until PUBACK within this process, bounded, drop-oldest-unsent when full.
import { rsError } from '../../../common/src/errors.js'
import type { Spool, SpoolBounds, SpoolFrame, SpoolStats } from './types.js'

const UNSENT = 0
const INFLIGHT = 1
const GONE = 2

interface Entry { frame: SpoolFrame, state: number }

export const DEFAULT_MAX_FRAMES = 3600
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024

export function createMemorySpool (bounds: SpoolBounds = {}): Spool {
  const maxFrames = bounds.maxFrames ?? DEFAULT_MAX_FRAMES
  const maxBytes = bounds.maxBytes ?? DEFAULT_MAX_BYTES
  if (!Number.isInteger(maxFrames) || maxFrames < 1) throw rsError('RS_ERR_CONFIG', `spool maxFrames must be a positive integer, got ${maxFrames}`)
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw rsError('RS_ERR_CONFIG', `spool maxBytes must be a positive integer, got ${maxBytes}`)
  // Entries in seq order; [head, entries.length) is live; acked/dropped ones are GONE until compacted.
  let entries: Entry[] = []
  let head = 0
  // no UNSENT entry before this index
  let cursor = 0
  const bySeq = new Map<number, Entry>()
  let bytes = 0
  let inflight = 0
  let dropped = 0
  let lastSeq = 0

  function forget (e: Entry): void {
    e.state = GONE
    bySeq.delete(e.frame.seq)
    bytes -= e.frame.payload.byteLength
    while (head < entries.length && entries[head].state === GONE) head++
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head)
      cursor = Math.max(0, cursor - head)
      head = 0
    }
  }

  function dropOldestUnsent (): boolean {
    for (let i = Math.max(head, 0); i < entries.length; i++) {
      if (entries[i].state === UNSENT) {
        forget(entries[i])
        dropped++
        return true
      }
    }
    return false
  }

  return {
    async append (frame: SpoolFrame): Promise<number> {
      if (!(frame.seq > lastSeq)) throw new RangeError(`spool: seq ${frame.seq} is not after ${lastSeq}`)
      lastSeq = frame.seq
      let n = 0
      while ((bySeq.size + 1 > maxFrames || bytes + frame.payload.byteLength > maxBytes) && dropOldestUnsent()) n++
      const e: Entry = { frame, state: UNSENT }
      entries.push(e)
      bySeq.set(frame.seq, e)
      bytes += frame.payload.byteLength
      return n
    },
    take (): SpoolFrame | undefined {
      let i = Math.max(cursor, head)
      while (i < entries.length && entries[i].state !== UNSENT) i++
      cursor = i
      if (i === entries.length) return undefined
      entries[i].state = INFLIGHT
      inflight++
      cursor = i + 1
      return entries[i].frame
    },
    async ack (seq: number): Promise<void> {
      const e = bySeq.get(seq)
      if (!e) return
      if (e.state === INFLIGHT) inflight--
      forget(e)
    },
    release (seq: number): void {
      const e = bySeq.get(seq)
      if (!e || e.state !== INFLIGHT) return
      e.state = UNSENT
      inflight--
      cursor = head
    },
    rewind (): void {
      for (let i = head; i < entries.length; i++) if (entries[i].state === INFLIGHT) entries[i].state = UNSENT
      inflight = 0
      cursor = head
    },
    lastSeq: () => lastSeq,
    syncedAppends: false,
    stats: (): SpoolStats => ({ frames: bySeq.size, bytes, unsent: bySeq.size - inflight, inflight, dropped }),
    async close (): Promise<void> {
      entries = []
      bySeq.clear()
      head = cursor = bytes = inflight = 0
    }
  }
}
