import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoPath } from '../../common/src/paths.js'
import { createUciReplay } from '../src/sources/uci-replay.js'

const DIR = repoPath('edge-agent', 'data', 'uci-hydraulic')
const CHANNELS = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE']
const START = 1_700_000_000_000_000

// Read independently of the code under test: rows of tab-separated text.
const rowsOf = (file: string): string[][] => readFileSync(join(DIR, file), 'latin1').split('\n').filter(l => l.trim()).map(l => l.trim().split('\t'))
const files = Object.fromEntries(CHANNELS.map(c => [c, rowsOf(`${c}.txt`)]))
const cycles = rowsOf('cycles.txt').map(r => Number(r[0]))
const labels = rowsOf('profile.txt').map(r => r.map(Number))

test('replay: windows equal the file rows, one sample per channel per second, contiguous in time', () => {
  const src = createUciReplay({ startUs: START })
  assert.equal(src.kind, 'replay')
  assert.equal(src.profileId, 'uci-hydraulic/v1')
  assert.equal(src.cycles, cycles.length)
  for (let k = 0; k < 150; k++) {
    const w = src.next()
    const row = Math.floor(k / 60)
    const col = k % 60
    assert.equal(w.windowStartUs, START + k * 1_000_000)
    assert.equal(w.windowUs, 1_000_000)
    assert.equal(w.cycle, cycles[row])
    assert.deepEqual(w.channels.map(c => c.id), CHANNELS)
    for (const c of w.channels) {
      assert.equal(c.rateHz, 1)
      assert.equal(c.startUs, w.windowStartUs)
      assert.equal(c.samples.length, 1)
      assert.equal(c.samples[0], Math.fround(Number(files[c.id][row][col])), `${c.id} row ${row} col ${col}`)
    }
    const [cooler, valve, pump, accumulator, stable] = labels[row]
    assert.deepEqual(src.currentLabels(), { cooler, valve, pump, accumulator, stable })
  }
})

test('replay: startCycle picks the first cycle at or after it; labels by cycle number', () => {
  // a cycle number that this copy does not hold (blocks of 25 are missing)
  const gapIndex = cycles.findIndex((c, i) => i > 0 && c !== cycles[i - 1] + 1)
  assert.ok(gapIndex > 0, 'the copy has a gap')
  const missing = cycles[gapIndex - 1] + 1
  const src = createUciReplay({ startUs: START, startCycle: missing })
  const w = src.next()
  assert.equal(w.cycle, cycles[gapIndex])
  assert.equal(w.channels[0].samples[0], Math.fround(Number(files.TS1[gapIndex][0])))
  assert.equal(src.labelsOf(missing), undefined)
  const [cooler, valve, pump, accumulator, stable] = labels[gapIndex]
  assert.deepEqual(src.labelsOf(cycles[gapIndex]), { cooler, valve, pump, accumulator, stable })
  assert.throws(() => createUciReplay({ startUs: START, startCycle: cycles[cycles.length - 1] + 1 }), { code: 'RS_ERR_CONFIG' })
  assert.throws(() => createUciReplay({ startUs: START, dir: '/nonexistent/uci' }), { code: 'RS_ERR_CONFIG' })
})

test('replay: loops to the first cycle, or ends when loop is off', () => {
  const last = cycles[cycles.length - 1]
  const looping = createUciReplay({ startUs: START, startCycle: last })
  for (let k = 0; k < 60; k++) assert.equal(looping.next().cycle, last)
  const wrapped = looping.next()
  assert.equal(wrapped.cycle, cycles[0])
  assert.equal(wrapped.windowStartUs, START + 60 * 1_000_000, 'time keeps running across the wrap')
  assert.equal(wrapped.channels[0].samples[0], Math.fround(Number(files.TS1[0][0])))

  const once = createUciReplay({ startUs: START, startCycle: last, loop: false })
  for (let k = 0; k < 60; k++) {
    assert.equal(once.exhausted?.(), false)
    once.next()
  }
  assert.equal(once.exhausted?.(), true)
  assert.throws(() => once.next(), { code: 'RS_ERR_SOURCE_ENDED' })
})
