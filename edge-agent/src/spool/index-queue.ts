// The in-memory index both spools keep: entries in seq order with their state (unsent, in
// flight, gone), the frame and byte bounds with the drop-oldest-unsent policy, and the counts
// `stats()` reports. The memory spool keeps its frames in the entries; the disk spool keeps where
// each record lies in its segment files and learns through `onForget` when one leaves.
import type { SpoolStats } from './types.js'

export const UNSENT = 0
export const INFLIGHT = 1
export const GONE = 2

export interface IndexEntry {
  readonly seq: number
  /** payload bytes, counted against the byte bound */
  readonly len: number
  state: number
}

export class SpoolIndex<E extends IndexEntry> {
  // [head, entries.length) is live; acked or dropped entries are GONE until compacted
  private entries: E[] = []
  private head = 0
  /** no UNSENT entry before this index */
  private cursor = 0
  private readonly bySeq = new Map<number, E>()
  private bytes = 0
  private inflight = 0
  private dropped = 0

  constructor (
    private readonly maxFrames: number,
    private readonly maxBytes: number,
    /** called when an entry leaves (acknowledged or dropped), after it is unindexed */
    private readonly onForget: (e: E) => void = () => {}
  ) {}

  get size (): number { return this.bySeq.size }
  has (seq: number): boolean { return this.bySeq.has(seq) }

  /** Drops the oldest unsent entries until one more frame of `len` bytes fits the bounds; returns how many. */
  makeRoom (len: number): number {
    let n = 0
    while ((this.bySeq.size + 1 > this.maxFrames || this.bytes + len > this.maxBytes) && this.dropOldestUnsent()) n++
    return n
  }

  /** Adds an unsent entry (seqs in increasing order), whatever the bounds: call makeRoom first. */
  push (e: E): void {
    e.state = UNSENT
    this.entries.push(e)
    this.bySeq.set(e.seq, e)
    this.bytes += e.len
  }

  /** The oldest unsent entry, still unsent (mark it with markInflight once it is handed out). */
  next (): E | undefined {
    let i = Math.max(this.cursor, this.head)
    while (i < this.entries.length && this.entries[i].state !== UNSENT) i++
    this.cursor = i
    return this.entries[i]
  }

  markInflight (e: E): void {
    e.state = INFLIGHT
    this.inflight++
  }

  /** Acknowledged: the entry leaves. */
  ack (seq: number): void {
    const e = this.bySeq.get(seq)
    if (!e) return
    if (e.state === INFLIGHT) this.inflight--
    this.forget(e)
  }

  /** Not acknowledged after all: back to unsent, taken again in seq order. */
  release (seq: number): void {
    const e = this.bySeq.get(seq)
    if (!e || e.state !== INFLIGHT) return
    e.state = UNSENT
    this.inflight--
    this.cursor = this.head
  }

  /** After a reconnect: everything in flight is unsent again. */
  rewind (): void {
    for (let i = this.head; i < this.entries.length; i++) if (this.entries[i].state === INFLIGHT) this.entries[i].state = UNSENT
    this.inflight = 0
    this.cursor = this.head
  }

  stats (): SpoolStats {
    return { frames: this.bySeq.size, bytes: this.bytes, unsent: this.bySeq.size - this.inflight, inflight: this.inflight, dropped: this.dropped }
  }

  clear (): void {
    this.entries = []
    this.bySeq.clear()
    this.head = this.cursor = this.bytes = this.inflight = 0
  }

  private forget (e: E): void {
    e.state = GONE
    this.bySeq.delete(e.seq)
    this.bytes -= e.len
    this.onForget(e)
    while (this.head < this.entries.length && this.entries[this.head].state === GONE) this.head++
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head)
      this.cursor = Math.max(0, this.cursor - this.head)
      this.head = 0
    }
  }

  private dropOldestUnsent (): boolean {
    for (let i = this.head; i < this.entries.length; i++) {
      if (this.entries[i].state === UNSENT) {
        this.forget(this.entries[i])
        this.dropped++
        return true
      }
    }
    return false
  }
}
