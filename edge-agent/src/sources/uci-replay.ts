// Replay of real UCI load cycles: each 60 s cycle becomes 60 one-second windows of the 8 1 Hz channels.
import { rsError } from '../../../common/src/errors.js'
import { DEFAULT_PROFILE_ID, requireProfile } from '../../../common/src/profile.js'
import { loadUciData, UCI_CHANNELS, UCI_SAMPLES_PER_CYCLE, type UciData } from './uci-data.js'
import type { CycleLabels, RigSource, SourceWindow } from './types.js'

export interface UciReplayOptions {
  /** folder with the UCI files; default edge-agent/data/uci-hydraulic */
  dir?: string
  /** original cycle number to start at (the first cycle >= it in this copy; 0 or 1 = the first); default the first */
  startCycle?: number
  /** start again at the first cycle after the last one; default true */
  loop?: boolean
  /** rig-clock time of the first window, µs since the epoch */
  startUs: number
}

export interface UciReplaySource extends RigSource {
  readonly kind: 'replay'
  /** labels of the cycle of the window last returned by next() (of the first cycle before any) */
  currentLabels (): CycleLabels
  /** labels of an original cycle number, undefined when this copy does not hold it */
  labelsOf (cycle: number): CycleLabels | undefined
  /** number of cycles in the replayed copy */
  readonly cycles: number
}

const WINDOW_US = 1_000_000
// One sample per 1 Hz channel per 1 s window.
const RATE_HZ = 1

export function createUciReplay (opts: UciReplayOptions): UciReplaySource {
  if (!Number.isSafeInteger(opts.startUs)) throw rsError('RS_ERR_CONFIG', `replay startUs must be an integer number of µs, got ${opts.startUs}`)
  const data = loadUciData(opts.dir)
  const profile = requireProfile(DEFAULT_PROFILE_ID)
  for (const ch of UCI_CHANNELS) {
    if (profile.byId.get(ch)?.rateHz !== RATE_HZ) throw rsError('RS_ERR_CONFIG', `profile ${profile.id} has no ${RATE_HZ} Hz channel ${ch}`)
  }
  const loop = opts.loop ?? true
  let row = firstRow(data, opts.startCycle)
  let second = 0
  let k = 0
  const columns = UCI_CHANNELS.map(id => ({ id, values: data.values.get(id) as Float32Array }))
  const rowOfCycle = new Map<number, number>()
  data.cycleNumbers.forEach((c, r) => rowOfCycle.set(c, r))
  let currentRow = row

  function exhausted (): boolean {
    return row >= data.rows
  }

  return {
    profileId: profile.id,
    kind: 'replay',
    cycles: data.rows,
    exhausted,
    next (): SourceWindow {
      if (exhausted()) throw rsError('RS_ERR_SOURCE_ENDED', `UCI replay reached the last cycle (${data.cycleNumbers[data.rows - 1]}) with loop off`)
      const windowStartUs = opts.startUs + k * WINDOW_US
      const base = row * UCI_SAMPLES_PER_CYCLE + second
      const window: SourceWindow = {
        windowStartUs,
        windowUs: WINDOW_US,
        cycle: data.cycleNumbers[row],
        channels: columns.map(c => ({ id: c.id, rateHz: RATE_HZ, startUs: windowStartUs, samples: c.values.slice(base, base + 1) }))
      }
      currentRow = row
      k++
      if (++second === UCI_SAMPLES_PER_CYCLE) {
        second = 0
        row++
        if (row === data.rows && loop) row = 0
      }
      return window
    },
    currentLabels: () => data.labels[currentRow],
    labelsOf: (cycle: number) => {
      const r = rowOfCycle.get(cycle)
      return r === undefined ? undefined : data.labels[r]
    }
  }
}

function firstRow (data: UciData, startCycle: number | undefined): number {
  if (startCycle === undefined) return 0
  if (!Number.isInteger(startCycle) || startCycle < 0) throw rsError('RS_ERR_CONFIG', `replay startCycle must be an integer >= 0, got ${startCycle}`)
  const r = data.cycleNumbers.findIndex(c => c >= startCycle)
  if (r < 0) throw rsError('RS_ERR_CONFIG', `replay startCycle ${startCycle} is after the last cycle (${data.cycleNumbers[data.rows - 1]}) of ${data.dir}`)
  return r
}
