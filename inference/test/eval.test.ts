import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { repoPath } from '../../common/src/paths.js'
import { loadUciCycles } from '../src/uci.js'
import { evaluate } from '../src/eval.js'
import { loadModel } from '../src/runtime.js'
import { DEFAULT_MODEL_DIR } from '../src/package.js'

const DATA = repoPath('edge-agent', 'data', 'uci-hydraulic')
const FILES = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE', 'profile', 'cycles']
const scratch = mkdtempSync(join(tmpdir(), 'rs-eval-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

/** A directory in the UCI layout with the given rows of the repository's data. */
function slice (name: string, rows: number[], drop: string[] = []): string {
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const f of FILES.filter(x => !drop.includes(x))) {
    const lines = readFileSync(join(DATA, `${f}.txt`), 'utf8').split('\n')
    writeFileSync(join(dir, `${f}.txt`), rows.map(r => lines[r]).join('\n') + '\n')
  }
  return dir
}

/** Runs the eval command in its own process, as `rigstream model eval` does. */
function runEval (args: string[]): { code: number | null, stdout: string, stderr: string } {
  const evalJs = repoPath('dist', 'inference', 'src', 'eval.js')
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(evalJs)}); await m.run(process.argv.slice(1))`, '--', ...args], { encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('uci: the repository copy loads as 1755 cycles of 8 channels x 60 samples with labels', () => {
  const data = loadUciCycles(DATA)
  assert.equal(data.cycles.length, 1755)
  assert.deepEqual(data.channels, ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE'])
  const first = data.cycles[0]!
  assert.equal(first.cycleNumber, 1)
  assert.equal(first.window.TS1!.length, 60)
  assert.equal(first.window.TS1![0], Math.fround(35.57))
  assert.deepEqual(first.labels, { cooler: 3, valve: 100, pump: 0, accumulator: 130, stable: 1 })
  assert.equal(data.cycles[1754]!.cycleNumber, 2205)
})

test('uci: a directory not in the layout is refused with RS_ERR_DATASET', () => {
  assert.throws(() => loadUciCycles(join(scratch, 'nothing-here')), { code: 'RS_ERR_DATASET', message: /profile.txt/ })
  const short = slice('short-channel', [0, 1, 2])
  writeFileSync(join(short, 'VS1.txt'), readFileSync(join(short, 'VS1.txt'), 'utf8').split('\n').slice(0, 2).join('\n'))
  assert.throws(() => loadUciCycles(short), { code: 'RS_ERR_DATASET', message: /VS1.txt has 2 rows/ })
})

test('eval: on a slice, the command prints one JSON object last, equal to scoring the predictions', async () => {
  const rows = [...Array(40).keys()].map(i => i * 43)   // 40 cycles spread over the run
  const dir = slice('slice', rows)
  const r = runEval(['--data', dir, '--json', '--backend', 'web'])
  assert.equal(r.code, 0, r.stderr)
  const last = r.stdout.trim().split('\n').at(-1)!
  const got = JSON.parse(last) as Record<string, number>
  assert.deepEqual(Object.keys(got), ['cooler', 'valve', 'pump', 'accumulator', 'stable', 'n'])
  assert.equal(got.n, 40)

  // the same figures from the predictions, scored here
  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  try {
    const cycles = loadUciCycles(dir).cycles
    const preds = await rt.predictBatch(cycles.map(c => c.window))
    for (const t of ['cooler', 'valve', 'pump', 'accumulator', 'stable'] as const) {
      const right = preds.filter((heads, i) => heads.find(h => h.target === t)!.value === cycles[i]!.labels[t]).length
      assert.equal(got[t], right / 40, t)
    }
    const direct = await evaluate(rt, dir)
    assert.equal(direct.n, 40)
    for (const t of rt.manifest.targets) {
      const m = direct.confusion[t.name]!
      assert.equal(m.flat().reduce((a, b) => a + b, 0), 40)
      assert.equal(direct.accuracy[t.name], got[t.name])
    }
  } finally {
    await rt.close()
  }
})

test('eval: bad input ends with a specific error code and a non-zero exit', () => {
  const missing = runEval(['--data', join(scratch, 'absent'), '--json'])
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /RS_ERR_DATASET/)

  const noSE = slice('no-se', [0, 1, 2], ['SE'])
  const r = runEval(['--data', noSE, '--json'])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /RS_ERR_DATASET: .*lacks channels SE/)

  const usage = runEval(['--json'])
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /usage: rigstream model eval/)
})
