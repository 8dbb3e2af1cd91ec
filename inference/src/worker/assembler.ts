// Per-rig cycle windows from 1 s frames (docs/worker.md, "Windows").
//
// A window is one load cycle of the model's channels (the UCI profile: 60 frames of 1 s, one
// sample per 1 Hz channel each). Frames are grouped by the load cycle number they carry
// (FrameBatch.cycle, set by the replay and the simulator); a frame with cycle 0 (source does not
// know) is placed by time, in slot floor(windowStartUs / cycle length). A window closes when all
// of its frames are there; it is dropped, counted, when a frame of another cycle arrives first
// (a gap, an agent that started mid-cycle) or when it has waited longer than `staleMs`.
// Duplicates (seq at or below the rig's newest) are dropped: DESIGN.md's dedup by (tenant, rig, seq).
import { performance } from 'node:perf_hooks'
import type { ClosedWindow, Hold } from './types.js'

/** What the assembler reads of a frame: a decoded FrameBatch has it, and so has FrameReader's lean result. */
export interface FrameLike {
  tenant: string
  rig: string
  seq: number | { toString (): string }
  windowStartUs: number | { toString (): string }
  cycle?: number | null
  channels?: Array<{ id?: string | null, samples?: ArrayLike<number> | null }> | null
}

export interface AssemblerOptions {
  /** model channels, in model order */
  channels: readonly string[]
  /** samples per channel in one window (manifest.samplesPerWindow) */
  samplesPerWindow: number
  /** frames per window: cycle length / frame length (UCI: 60) */
  framesPerWindow: number
  /** frame window length, µs (UCI: 1_000_000) */
  frameUs: number
  onWindow: (w: ClosedWindow) => void
}

export interface AssemblerStats { framesIn: number, duplicates: number, ignored: number, windowsClosed: number, windowsDropped: number, openWindows: number }

interface OpenWindow {
  key: number
  startUs: number
  firstSeq: number
  lastSeq: number
  cycle: number
  frames: number
  seen: Uint8Array
  samples: Float32Array[]
  lastArrivalMs: number
  hold: Hold | null
}

interface RigState { tenant: string, rig: string, lastSeq: number, open: OpenWindow | null }

export class WindowAssembler {
  private readonly rigs = new Map<string, RigState>()
  private readonly perFrame: number
  private readonly cycleUs: number
  private readonly channelIndex: Map<string, number>
  private readonly got: Uint8Array
  private s = { framesIn: 0, duplicates: 0, ignored: 0, windowsClosed: 0, windowsDropped: 0 }

  constructor (private readonly o: AssemblerOptions) {
    if (o.samplesPerWindow % o.framesPerWindow !== 0) throw new Error(`samplesPerWindow ${o.samplesPerWindow} is not a multiple of framesPerWindow ${o.framesPerWindow}`)
    this.perFrame = o.samplesPerWindow / o.framesPerWindow
    this.cycleUs = o.framesPerWindow * o.frameUs
    this.channelIndex = new Map(o.channels.map((c, i) => [c, i]))
    this.got = new Uint8Array(o.channels.length)
  }

  /**
   * Adds one frame. `hold` is taken on the frame's position when it opens a window (Kafka);
   * returns false when the frame was not kept (duplicate, dropped), so the caller may count it done.
   */
  add (batch: FrameLike, holdFactory: (() => Hold) | null): boolean {
    this.s.framesIn++
    const tenant = batch.tenant
    const rig = batch.rig
    const seq = Number(batch.seq)
    const key = `${tenant}/${rig}`
    let r = this.rigs.get(key)
    if (!r) this.rigs.set(key, r = { tenant, rig, lastSeq: 0, open: null })
    if (seq <= r.lastSeq) { this.s.duplicates++; return false }
    const startUs = Number(batch.windowStartUs)
    // ingest refuses clocks far off; a frame put on the topic by something else may carry any
    // int64: a start before 1970 or past 2^53 µs (year 2255) is no rig's clock
    if (!Number.isSafeInteger(startUs) || startUs < 0) { this.s.ignored++; return false }
    r.lastSeq = seq
    const cycle = batch.cycle ?? 0
    const slot = cycle > 0 ? cycle : -Math.floor(startUs / this.cycleUs)
    if (r.open && r.open.key !== slot) this.drop(r)
    if (!r.open) {
      r.open = {
        key: slot,
        // time-aligned windows start at their slot; cycle windows at their first frame
        startUs: cycle > 0 ? startUs : Math.floor(startUs / this.cycleUs) * this.cycleUs,
        firstSeq: seq,
        lastSeq: seq,
        cycle,
        frames: 0,
        seen: new Uint8Array(this.o.framesPerWindow),
        samples: this.o.channels.map(() => new Float32Array(this.o.samplesPerWindow)),
        lastArrivalMs: 0,
        hold: holdFactory ? holdFactory() : null
      }
    }
    const w = r.open
    const i = Math.round((startUs - w.startUs) / this.o.frameUs)
    if (i < 0 || i >= this.o.framesPerWindow || w.seen[i] === 1) { this.drop(r); this.s.ignored++; return false }
    let found = 0
    const got = this.got.fill(0)
    for (const c of batch.channels ?? []) {
      const ci = this.channelIndex.get(c.id ?? '')
      if (ci === undefined) continue
      // a channel twice must not stand in for a missing one (that one would be fed as zeros)
      if (got[ci] === 1) { this.drop(r); this.s.ignored++; return false }
      got[ci] = 1
      const x = c.samples ?? []
      if (x.length !== this.perFrame) { this.drop(r); this.s.ignored++; return false }
      const dst = w.samples[ci]!
      for (let k = 0; k < this.perFrame; k++) dst[i * this.perFrame + k] = x[k]!
      found++
    }
    if (found !== this.o.channels.length) { this.drop(r); this.s.ignored++; return false }
    w.seen[i] = 1
    w.frames++
    w.lastSeq = seq
    w.lastArrivalMs = performance.now()
    if (w.frames === this.o.framesPerWindow) this.close(r)
    return true
  }

  /** Drops open windows that have waited longer than `staleMs` for their next frame. */
  evictStale (staleMs: number): number {
    const now = performance.now()
    let n = 0
    for (const r of this.rigs.values()) {
      if (r.open && now - r.open.lastArrivalMs > staleMs) { this.drop(r); n++ }
    }
    return n
  }

  /** Forgets the rigs `keep` rejects (partitions given away in a rebalance): their windows are dropped. */
  forget (keep: (tenant: string, rig: string) => boolean): void {
    for (const [key, r] of this.rigs) {
      if (keep(r.tenant, r.rig)) continue
      if (r.open) { r.open.hold?.release(); r.open = null }
      this.rigs.delete(key)
    }
  }

  stats (): AssemblerStats {
    let open = 0
    for (const r of this.rigs.values()) if (r.open) open++
    return { ...this.s, openWindows: open }
  }

  private drop (r: RigState): void {
    if (!r.open) return
    r.open.hold?.release()
    r.open = null
    this.s.windowsDropped++
  }

  private close (r: RigState): void {
    const w = r.open!
    r.open = null
    this.s.windowsClosed++
    const window: Record<string, Float32Array> = {}
    this.o.channels.forEach((c, i) => { window[c] = w.samples[i]! })
    this.o.onWindow({
      tenant: r.tenant,
      rig: r.rig,
      windowStartUs: w.startUs,
      windowEndUs: w.startUs + this.cycleUs,
      cycle: w.cycle,
      firstSeq: w.firstSeq,
      lastSeq: w.lastSeq,
      window,
      closedAtMs: w.lastArrivalMs,
      hold: w.hold
    })
  }
}
