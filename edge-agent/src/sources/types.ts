// What a rig source hands the agent: one frame window at a time, in the rig's own clock.

/** One channel's samples inside a window. Sample i is at `startUs + i * 1e6 / rateHz`. */
export interface SourceChannel {
  id: string
  rateHz: number
  startUs: number
  samples: Float32Array
}

/** One frame window of one rig (default 1 s, `windowUs` = 1_000_000). */
export interface SourceWindow {
  windowStartUs: number
  windowUs: number
  /** load cycle number when the source knows it (UCI: the original cycle number), else 0 */
  cycle: number
  channels: SourceChannel[]
}

/**
 * A rig: `next()` is synchronous and deterministic — the same options give the same windows.
 * Windows are contiguous: window k starts at `startUs + k * windowUs`.
 */
export interface RigSource {
  readonly profileId: string
  readonly kind: 'replay' | 'simulator'
  next (): SourceWindow
  /** true when a finite source (replay without loop) has no more windows; absent = endless */
  exhausted? (): boolean
}

/** Condition labels of a load cycle, as in the UCI `profile.txt` (one value per target). */
export interface CycleLabels {
  /** cooler condition, % of full efficiency: 3, 20, 100 */
  cooler: number
  /** valve condition, % of optimal switching: 73, 80, 90, 100 */
  valve: number
  /** internal pump leakage: 0 none, 1 weak, 2 severe */
  pump: number
  /** accumulator pre-charge pressure, bar: 90, 100, 115, 130 */
  accumulator: number
  /** 0 stable, 1 not yet stable */
  stable: number
}
