// rigstream model eval --data <dir in the UCI layout> [--model <package dir>] [--backend node|web|auto] [--json]
// Runs the TypeScript runtime over every cycle of the directory and reports the accuracy per
// target. With --json the last stdout line is one JSON object:
// {"cooler": acc, "valve": acc, "pump": acc, "accumulator": acc, "stable": acc, "n": cycles}
import { parseArgs } from 'node:util'
import { rsError, RigstreamError } from '../../common/src/errors.js'
import { createRootLogger } from '../../common/src/logger.js'
import { DEFAULT_MODEL_DIR } from './package.js'
import { loadModel } from './runtime.js'
import { loadUciCycles, type UciLabels } from './uci.js'
import type { ModelRuntime } from './types.js'

const USAGE = 'usage: rigstream model eval --data <dir in the UCI layout> [--model <package dir>] [--backend node|web|auto|ts] [--json]'
const CHUNK = 256

export interface EvalResult {
  n: number
  accuracy: Record<string, number>
  /** per target: rows = true class, columns = predicted class, in the manifest's class order */
  confusion: Record<string, number[][]>
}

/** Scores a loaded runtime on a UCI-layout directory. */
export async function evaluate (runtime: ModelRuntime, dataDir: string): Promise<EvalResult> {
  const data = loadUciCycles(dataDir)
  const missing = runtime.manifest.channels.filter(c => !data.channels.includes(c))
  if (missing.length > 0) throw rsError('RS_ERR_DATASET', `${dataDir} lacks channels ${missing.join(', ')} that the model needs`)
  const targets = runtime.manifest.targets
  const confusion: Record<string, number[][]> = {}
  for (const t of targets) confusion[t.name] = t.values.map(() => t.values.map(() => 0))
  for (let start = 0; start < data.cycles.length; start += CHUNK) {
    const chunk = data.cycles.slice(start, start + CHUNK)
    const results = await runtime.predictBatch(chunk.map(c => c.window))
    results.forEach((heads, i) => {
      const cycle = chunk[i]!
      for (const h of heads) {
        const t = targets.find(x => x.name === h.target)!
        const truth = cycle.labels[h.target as keyof UciLabels]
        const row = t.values.indexOf(truth)
        if (row < 0) throw rsError('RS_ERR_DATASET', `cycle ${cycle.cycleNumber}: label ${h.target}=${truth} is not one of ${t.values.join(', ')}`)
        confusion[h.target]![row]![h.classIndex]!++
      }
    })
  }
  const accuracy: Record<string, number> = {}
  for (const t of targets) {
    const m = confusion[t.name]!
    accuracy[t.name] = data.cycles.length === 0 ? 0 : m.reduce((s, r, i) => s + r[i]!, 0) / data.cycles.length
  }
  return { n: data.cycles.length, accuracy, confusion }
}

function table (r: EvalResult, runtime: ModelRuntime): string {
  const lines = [`model ${runtime.manifest.name} ${runtime.manifest.version} (${runtime.backend}, ${runtime.provider}) on ${r.n} cycles`]
  for (const t of runtime.manifest.targets) {
    lines.push(`${t.name.padEnd(12)} ${(100 * r.accuracy[t.name]!).toFixed(2).padStart(6)} %   confusion (rows true ${t.values.join('/')}): ${JSON.stringify(r.confusion[t.name])}`)
  }
  return lines.join('\n')
}

export async function run (argv: string[]): Promise<void> {
  const args = argv[0] === 'eval' ? argv.slice(1) : argv
  let opts
  try {
    opts = parseArgs({
      args,
      options: { data: { type: 'string' }, model: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true
    }).values
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  if (opts.help) { process.stdout.write(USAGE + '\n'); return }
  const backend = opts.backend ?? 'auto'
  if (!opts.data || !['node', 'web', 'auto', 'ts'].includes(backend)) {
    process.stderr.write(USAGE + '\n')
    process.exitCode = 2
    return
  }
  // stdout carries the result; only warnings (e.g. the WASM fallback) are logged
  const log = createRootLogger({ level: 'warn' }).child({ component: 'model-eval' })
  let runtime: ModelRuntime | undefined
  try {
    runtime = await loadModel(opts.model ?? DEFAULT_MODEL_DIR, { backend: backend as 'node' | 'web' | 'auto' | 'ts', log })
    const r = await evaluate(runtime, opts.data)
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...r.accuracy, n: r.n }) + '\n')
    } else {
      process.stdout.write(table(r, runtime) + '\n')
    }
  } catch (err) {
    if (!(err instanceof RigstreamError)) throw err
    process.stderr.write(`rigstream model eval: ${err.code}: ${err.message}\n`)
    process.exitCode = 1
  } finally {
    await runtime?.close()
  }
}
