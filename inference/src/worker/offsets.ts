// Commit offsets only behind durable results (docs/worker.md, "Offsets").
//
// A frame's offset is done when the frame was dropped (duplicate, not usable) or when the
// prediction of the window it belongs to is stored in PostgreSQL and acknowledged by Kafka. An
// open window holds its partition at the offset of its first frame (frames of a partition arrive
// in offset order, so every later frame of the window is above it). The committable offset of a
// partition is the lowest held offset, or the offset after the newest frame seen when nothing is
// held: a restarted worker re-reads from there and rebuilds every window that was not stored.
import type { Hold } from './types.js'

interface PartitionState { next: bigint, holds: Map<number, bigint>, committed: bigint | null }

export class OffsetTracker {
  private readonly parts = new Map<string, PartitionState>()
  private nextHoldId = 1

  private part (topic: string, partition: number): PartitionState {
    const k = `${topic}\u0000${partition}`
    let p = this.parts.get(k)
    if (!p) this.parts.set(k, p = { next: -1n, holds: new Map(), committed: null })
    return p
  }

  /** Records that `offset` was read; call before handling the message. */
  seen (topic: string, partition: number, offset: bigint): void {
    const p = this.part(topic, partition)
    if (offset + 1n > p.next) p.next = offset + 1n
  }

  hold (topic: string, partition: number, offset: bigint): Hold {
    const p = this.part(topic, partition)
    const id = this.nextHoldId++
    p.holds.set(id, offset)
    let released = false
    return { release: () => { if (!released) { released = true; p.holds.delete(id) } } }
  }

  /** Offsets that may be committed now and were not committed yet: [{topic, partition, offset}]. */
  committable (): Array<{ topic: string, partition: number, offset: bigint }> {
    const out: Array<{ topic: string, partition: number, offset: bigint }> = []
    for (const [k, p] of this.parts) {
      if (p.next < 0n) continue
      let at = p.next
      for (const o of p.holds.values()) if (o < at) at = o
      if (p.committed !== null && at <= p.committed) continue
      const [topic, partition] = k.split('\u0000') as [string, string]
      out.push({ topic, partition: Number(partition), offset: at })
    }
    return out
  }

  markCommitted (topic: string, partition: number, offset: bigint): void {
    // a commit that completes after a rebalance took the partition away does not bring its state back
    const p = this.parts.get(`${topic}\u0000${partition}`)
    if (!p) return
    if (p.committed === null || offset > p.committed) p.committed = offset
  }

  /** Forgets partitions this member no longer owns (their holds are moot: the new owner re-reads). */
  retain (owned: (topic: string, partition: number) => boolean): void {
    for (const k of [...this.parts.keys()]) {
      const [topic, partition] = k.split('\u0000') as [string, string]
      if (!owned(topic, Number(partition))) this.parts.delete(k)
    }
  }

  /** Windows (holds) still open or in flight, all partitions. */
  held (): number {
    let n = 0
    for (const p of this.parts.values()) n += p.holds.size
    return n
  }
}
