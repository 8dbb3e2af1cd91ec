// The spool: where a frame waits between being framed and being acknowledged by the broker.
//
// This is the seam for issue 4's disk spool: the agent only talks to this interface, and every
// implementation must pass edge-agent/test/spool-contract.ts. The in-memory spool (memory.ts)
// keeps frames until PUBACK within one process; the disk spool (disk.ts) keeps them on disk
// before they are published and replays them after a restart (docs/edge.md).

export interface SpoolFrame {
  seq: number
  payload: Uint8Array
}

export interface SpoolStats {
  /** frames held (unsent + in flight) */
  frames: number
  /** payload bytes held */
  bytes: number
  /** frames not handed to the transport yet */
  unsent: number
  /** frames handed to the transport, waiting for their ack */
  inflight: number
  /** frames dropped by the bound policy since the spool was opened */
  dropped: number
}

export interface SpoolBounds {
  /** most frames held; default 3600 (an hour of one rig at 1 frame/s) */
  maxFrames?: number
  /** most payload bytes held; default 64 MiB */
  maxBytes?: number
}

export interface Spool {
  /**
   * Keeps `frame` until ack(seq). Seqs are appended in increasing order. A durable spool resolves
   * once the frame is stored. When a bound is reached the oldest unsent frames are dropped to make
   * room (in-flight frames are never dropped); resolves with how many were dropped.
   */
  append (frame: SpoolFrame): Promise<number>
  /** the oldest frame not yet handed to the transport, now marked in flight; undefined when none */
  take (): SpoolFrame | undefined
  /** the broker acknowledged it: forget it (unknown or repeated seqs are ignored) */
  ack (seq: number): Promise<void>
  /** the transport gave up on an in-flight frame before its ack: it is taken again, in seq order */
  release (seq: number): void
  /** every in-flight frame becomes unsent again (e.g. a fresh session that lost the transport's own store) */
  rewind (): void
  stats (): SpoolStats
  /**
   * The highest seq ever appended (0 when none). A durable spool still knows it after a restart,
   * even when every frame has been acknowledged.
   */
  lastSeq (): number
  /**
   * True when append() resolves only once the frame is on stable storage (fsynced), so no frame
   * with a seq above lastSeq() after a restart can have been published (see seq-store.ts).
   */
  readonly syncedAppends: boolean
  /**
   * False when open() found damage that may hide appended frames (a newest segment with a bad
   * header or a bad record that is not a torn tail, a corrupt older segment): lastSeq() may then be
   * below a seq that was published, and the seq store resumes at its reservation instead.
   */
  readonly lastSeqCertain?: boolean
  close (): Promise<void>
}
