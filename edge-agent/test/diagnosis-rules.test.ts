import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Alert } from '../../schemas/src/index.js'
import type { HeadOutput, TargetInfo } from '../../inference/src/types.js'
import { AlertRules } from '../src/diagnosis/alerts.js'
import { CycleAssembler } from '../src/diagnosis/cycle-window.js'
import type { SourceWindow } from '../src/sources/types.js'

const valve: TargetInfo = { name: 'valve', title: 'Valve condition', values: [73, 80, 90, 100], labels: ['close to total failure', 'severe lag', 'small lag', 'optimal switching'], healthy: 3 }
const stable: TargetInfo = { name: 'stable', values: [0, 1], labels: ['stable', 'not yet stable'], healthy: 0 }

function head (classIndex: number, p = 0.9, t: TargetInfo = valve): HeadOutput {
  const probs = t.values.map((_, c) => c === classIndex ? p : (1 - p) / (t.values.length - 1))
  return { target: t.name, classIndex, value: t.values[classIndex]!, label: t.labels[classIndex]!, probs }
}

test('alert rules: a new condition must hold confirmCycles cycles; one alert per change; severity by distance from healthy; recovery is INFO', () => {
  const r = new AlertRules([valve, stable], { confirmCycles: 2, minProbability: 0.6 })
  assert.deepEqual(r.evaluate([head(3), head(1, 0.9, stable)]), [], 'healthy, and stable is not a component')
  assert.deepEqual(r.evaluate([head(2)]), [], 'one cycle is not enough')
  assert.deepEqual(r.evaluate([head(3)]), [], 'back to healthy resets the streak')
  assert.deepEqual(r.evaluate([head(2)]), [])
  const [warn] = r.evaluate([head(2)])
  assert.equal(warn?.severity, Alert.Severity.WARNING)
  assert.equal(warn?.rule, 'condition-degraded')
  assert.equal(warn?.message, 'Valve condition: small lag (90)')
  assert.deepEqual(r.evaluate([head(2)]), [], 'no repeat while it stays')
  assert.deepEqual(r.evaluate([head(0, 0.5)]), [], 'below minProbability does not count')
  assert.deepEqual(r.evaluate([head(0)]), [])
  const [crit] = r.evaluate([head(0)])
  assert.equal(crit?.severity, Alert.Severity.CRITICAL, 'the class farthest from healthy')
  r.evaluate([head(3)])
  const [ok] = r.evaluate([head(3)])
  assert.deepEqual([ok?.severity, ok?.rule], [Alert.Severity.INFO, 'condition-recovered'])
  assert.notEqual(warn?.id, crit?.id)
})

function win (k: number, cycle: number, channels = ['A', 'B']): SourceWindow {
  return { windowStartUs: k * 1_000_000, windowUs: 1_000_000, cycle, channels: channels.map(id => ({ id, rateHz: 1, startUs: k * 1_000_000, samples: Float32Array.of(k + (id === 'B' ? 0.5 : 0)) })) }
}

test('cycle assembler: full cycles from contiguous windows; a gap, a missing channel or an early cycle change discards the partial cycle', () => {
  const a = new CycleAssembler(['A', 'B'], 3)
  assert.equal(a.push(win(0, 1), 1), undefined)
  assert.equal(a.push(win(1, 1), 2), undefined)
  const c = a.push(win(2, 1), 3)
  assert.deepEqual(c && { ...c, window: { A: [...c.window.A!], B: [...c.window.B!] } }, { window: { A: [0, 1, 2], B: [0.5, 1.5, 2.5] }, startUs: 0, endUs: 3_000_000, firstSeq: 1, lastSeq: 3, cycle: 1 })
  // a gap in time
  a.push(win(3, 2), 4)
  assert.equal(a.push(win(5, 2), 5), undefined)
  assert.equal(a.stats.discarded, 1)
  // a missing channel (window 5 began a new partial cycle 2; window 6 is cycle 3: discarded too)
  a.push(win(6, 3), 6)
  assert.equal(a.stats.discarded, 2)
  assert.equal(a.push(win(7, 3, ['A']), 7), undefined)
  assert.equal(a.stats.discarded, 3)
  // started mid-cycle: the cycle number changes before the buffer is full
  a.push(win(8, 4), 8)
  a.push(win(9, 5), 9)
  assert.equal(a.stats.discarded, 4)
  a.push(win(10, 5), 10)
  const d = a.push(win(11, 5), 11)
  assert.deepEqual([d?.firstSeq, d?.lastSeq, d?.cycle, [...d!.window.A!]], [9, 11, 5, [9, 10, 11]])
  assert.equal(a.stats.cycles, 2)
})
