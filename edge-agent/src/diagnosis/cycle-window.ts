// Builds the model's input from the frame stream: one load cycle (samplesPerWindow samples of each
// model channel) out of consecutive 1 s windows. A cycle that is broken (a window missing, a
// channel absent, the source's cycle number changing early) is discarded, never padded.
import type { CycleWindow } from '../../../inference/src/types.js'
import type { SourceWindow } from '../sources/types.js'

export interface AssembledCycle {
  window: CycleWindow
  startUs: number
  endUs: number
  firstSeq: number
  lastSeq: number
  /** source cycle number (0 = unknown) */
  cycle: number
}

export interface AssemblerStats {
  cycles: number
  /** partial cycles thrown away (gap, missing channel, cycle boundary) */
  discarded: number
}

export class CycleAssembler {
  private readonly bufs: Float32Array[]
  private filled = 0
  private startUs = 0
  private nextUs = -1
  private firstSeq = 0
  private cycle = 0
  readonly stats: AssemblerStats = { cycles: 0, discarded: 0 }

  constructor (readonly channels: readonly string[], readonly samples: number) {
    this.bufs = channels.map(() => new Float32Array(samples))
  }

  /** Adds one frame window; returns the completed cycle when this window completes one. */
  push (w: SourceWindow, seq: number): AssembledCycle | undefined {
    const contiguous = w.windowStartUs === this.nextUs
    const sameCycle = w.cycle === 0 || this.cycle === 0 || w.cycle === this.cycle
    if (this.filled > 0 && (!contiguous || !sameCycle)) this.reset(true)
    this.nextUs = w.windowStartUs + w.windowUs
    // one pass over the window's channels per model channel: 8 x 18 compares per second, cheap
    let n = -1
    for (let c = 0; c < this.channels.length; c++) {
      const ch = w.channels.find(x => x.id === this.channels[c])
      if (ch === undefined || (n >= 0 && ch.samples.length !== n) || this.filled + ch.samples.length > this.samples) {
        if (this.filled > 0) this.reset(true)
        return undefined
      }
      n = ch.samples.length
    }
    if (n <= 0) return undefined
    if (this.filled === 0) {
      this.startUs = w.windowStartUs
      this.firstSeq = seq
      this.cycle = w.cycle
    }
    for (let c = 0; c < this.channels.length; c++) {
      this.bufs[c]!.set(w.channels.find(x => x.id === this.channels[c])!.samples, this.filled)
    }
    this.filled += n
    if (this.filled < this.samples) return undefined
    const window: CycleWindow = {}
    this.channels.forEach((id, c) => { window[id] = this.bufs[c]!.slice() })
    const out: AssembledCycle = { window, startUs: this.startUs, endUs: this.nextUs, firstSeq: this.firstSeq, lastSeq: seq, cycle: this.cycle }
    this.stats.cycles++
    this.reset(false)
    return out
  }

  private reset (discard: boolean): void {
    if (discard) this.stats.discarded++
    this.filled = 0
    this.cycle = 0
  }
}
