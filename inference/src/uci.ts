// Loader for data in the UCI hydraulic layout (edge-agent/data/uci-hydraulic): one <CHANNEL>.txt
// per channel (one row per cycle, whitespace-separated samples), profile.txt (5 labels per
// cycle: cooler %, valve %, pump leakage, accumulator bar, stable flag) and, optionally,
// cycles.txt (original cycle numbers; 1..n when absent).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { rsError } from '../../common/src/errors.js'
import { requireProfile } from '../../common/src/profile.js'
import type { CycleWindow } from './types.js'

export interface UciLabels { cooler: number, valve: number, pump: number, accumulator: number, stable: number }

export interface UciCycle {
  /** 0-based row in the files */
  index: number
  /** original cycle number (cycles.txt) */
  cycleNumber: number
  window: CycleWindow
  /** raw label values as in profile.txt, e.g. valve 73 */
  labels: UciLabels
}

export interface UciData { dir: string, channels: string[], cycles: UciCycle[] }

const LABELS = ['cooler', 'valve', 'pump', 'accumulator', 'stable'] as const

function rows (file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').map(l => l.trim()).filter(l => l.length > 0)
}

function numbers (line: string, file: string, row: number): number[] {
  const out = line.split(/\s+/).map(Number)
  if (out.some(v => !Number.isFinite(v))) throw rsError('RS_ERR_DATASET', `${file} row ${row + 1} has a value that is not a number`)
  return out
}

/**
 * Loads every cycle of a directory in the UCI layout. Channels are the reference profile's
 * channels whose file exists (the repository's copy has the 8 channels at 1 Hz).
 */
export function loadUciCycles (dir: string): UciData {
  const profileFile = join(dir, 'profile.txt')
  if (!existsSync(profileFile)) throw rsError('RS_ERR_DATASET', `${profileFile} is missing`)
  const labelRows = rows(profileFile).map((l, i) => numbers(l, 'profile.txt', i))
  labelRows.forEach((r, i) => { if (r.length !== 5) throw rsError('RS_ERR_DATASET', `profile.txt row ${i + 1} has ${r.length} labels, expected 5`) })
  const n = labelRows.length
  const channels = requireProfile().channels.map(c => c.id).filter(id => existsSync(join(dir, `${id}.txt`)))
  if (channels.length === 0) throw rsError('RS_ERR_DATASET', `no channel files (<CHANNEL>.txt) in ${dir}`)
  const data = new Map<string, Float32Array[]>()
  for (const c of channels) {
    const r = rows(join(dir, `${c}.txt`))
    if (r.length !== n) throw rsError('RS_ERR_DATASET', `${c}.txt has ${r.length} rows, profile.txt has ${n}`)
    data.set(c, r.map((l, i) => Float32Array.from(numbers(l, `${c}.txt`, i))))
  }
  const cyclesFile = join(dir, 'cycles.txt')
  const numbersCol = existsSync(cyclesFile) ? rows(cyclesFile).map(Number) : Array.from({ length: n }, (_, i) => i + 1)
  if (numbersCol.length !== n) throw rsError('RS_ERR_DATASET', `cycles.txt has ${numbersCol.length} rows, profile.txt has ${n}`)
  const cycles: UciCycle[] = []
  for (let i = 0; i < n; i++) {
    const window: CycleWindow = {}
    for (const c of channels) window[c] = data.get(c)![i]!
    const l = labelRows[i]!
    const labels = Object.fromEntries(LABELS.map((name, j) => [name, l[j]!])) as unknown as UciLabels
    cycles.push({ index: i, cycleNumber: numbersCol[i]!, window, labels })
  }
  return { dir, channels, cycles }
}
