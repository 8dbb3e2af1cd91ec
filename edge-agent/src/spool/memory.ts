// In-memory spool: frames held until PUBACK within this process, bounded, drop-oldest-unsent when full.
import { rsError } from '../../../common/src/errors.js'
import { SpoolIndex, UNSENT, type IndexEntry } from './index-queue.js'
import type { Spool, SpoolBounds, SpoolFrame } from './types.js'

interface Entry extends IndexEntry { frame: SpoolFrame }

export const DEFAULT_MAX_FRAMES = 3600
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024

export function createMemorySpool (bounds: SpoolBounds = {}): Spool {
  const maxFrames = bounds.maxFrames ?? DEFAULT_MAX_FRAMES
  const maxBytes = bounds.maxBytes ?? DEFAULT_MAX_BYTES
  if (!Number.isInteger(maxFrames) || maxFrames < 1) throw rsError('RS_ERR_CONFIG', `spool maxFrames must be a positive integer, got ${maxFrames}`)
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw rsError('RS_ERR_CONFIG', `spool maxBytes must be a positive integer, got ${maxBytes}`)
  const index = new SpoolIndex<Entry>(maxFrames, maxBytes)
  let lastSeq = 0

  return {
    async append (frame: SpoolFrame): Promise<number> {
      if (!(frame.seq > lastSeq)) throw new RangeError(`spool: seq ${frame.seq} is not after ${lastSeq}`)
      lastSeq = frame.seq
      const dropped = index.makeRoom(frame.payload.byteLength)
      index.push({ seq: frame.seq, len: frame.payload.byteLength, state: UNSENT, frame })
      return dropped
    },
    take (): SpoolFrame | undefined {
      const e = index.next()
      if (!e) return undefined
      index.markInflight(e)
      return e.frame
    },
    async ack (seq: number): Promise<void> { index.ack(seq) },
    release: (seq: number): void => index.release(seq),
    rewind: (): void => index.rewind(),
    lastSeq: () => lastSeq,
    syncedAppends: false,
    stats: () => index.stats(),
    async close (): Promise<void> { index.clear() }
  }
}
