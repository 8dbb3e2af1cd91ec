// Loads the real UCI hydraulic 1 Hz channels (edge-agent/data/uci-hydraulic) once per directory.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { repoPath } from '../../../common/src/paths.js'
import { rsError } from '../../../common/src/errors.js'
import type { CycleLabels } from './types.js'

/** The 8 channels of the UCI copy, each one file with one row of 60 values per cycle. */
export const UCI_CHANNELS = Object.freeze(['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE'] as const)
export const UCI_SAMPLES_PER_CYCLE = 60

export const DEFAULT_UCI_DIR = repoPath('edge-agent', 'data', 'uci-hydraulic')

export interface UciData {
  dir: string
  /** number of rows (cycles) in this copy */
  rows: number
  /** original 1-based cycle number of each row, in time order */
  cycleNumbers: Int32Array
  /** channel id -> rows x 60 values, row-major */
  values: ReadonlyMap<string, Float32Array>
  labels: readonly CycleLabels[]
}

const cache = new Map<string, UciData>()

/** Parses the UCI files of `dir` (cached: a fleet of replay rigs shares one copy in memory). */
export function loadUciData (dir: string = DEFAULT_UCI_DIR): UciData {
  const key = resolve(dir)
  const hit = cache.get(key)
  if (hit) return hit
  const cycleNumbers = Int32Array.from(lines(key, 'cycles.txt').map((l, i) => parseNumber(l, key, 'cycles.txt', i)))
  const rows = cycleNumbers.length
  const labels = lines(key, 'profile.txt').map((l, i) => {
    const v = l.split('\t').map(s => parseNumber(s, key, 'profile.txt', i))
    if (v.length !== 5) throw rsError('RS_ERR_CONFIG', `${join(key, 'profile.txt')} row ${i + 1}: expected 5 labels, got ${v.length}`)
    return Object.freeze({ cooler: v[0], valve: v[1], pump: v[2], accumulator: v[3], stable: v[4] })
  })
  if (labels.length !== rows) throw rsError('RS_ERR_CONFIG', `${key}: profile.txt has ${labels.length} rows, cycles.txt ${rows}`)
  const values = new Map<string, Float32Array>()
  for (const ch of UCI_CHANNELS) {
    const rowsOf = lines(key, `${ch}.txt`)
    if (rowsOf.length !== rows) throw rsError('RS_ERR_CONFIG', `${join(key, ch + '.txt')}: ${rowsOf.length} rows, cycles.txt has ${rows}`)
    const out = new Float32Array(rows * UCI_SAMPLES_PER_CYCLE)
    rowsOf.forEach((line, r) => {
      const cells = line.split('\t')
      if (cells.length !== UCI_SAMPLES_PER_CYCLE) throw rsError('RS_ERR_CONFIG', `${join(key, ch + '.txt')} row ${r + 1}: expected ${UCI_SAMPLES_PER_CYCLE} values, got ${cells.length}`)
      for (let j = 0; j < UCI_SAMPLES_PER_CYCLE; j++) out[r * UCI_SAMPLES_PER_CYCLE + j] = parseNumber(cells[j], key, ch + '.txt', r)
    })
    values.set(ch, out)
  }
  const data: UciData = Object.freeze({ dir: key, rows, cycleNumbers, values, labels: Object.freeze(labels) })
  cache.set(key, data)
  return data
}

function lines (dir: string, file: string): string[] {
  let text: string
  try {
    text = readFileSync(join(dir, file), 'latin1')
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `cannot read UCI replay file ${join(dir, file)}`, err)
  }
  return text.split('\n').map(l => l.trimEnd()).filter(l => l.length > 0)
}

function parseNumber (s: string, dir: string, file: string, row: number): number {
  const n = Number(s)
  if (s.trim() === '' || !Number.isFinite(n)) throw rsError('RS_ERR_CONFIG', `${join(dir, file)} row ${row + 1}: not a number: ${JSON.stringify(s)}`)
  return n
}
