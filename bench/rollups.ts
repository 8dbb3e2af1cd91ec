// npm run bench -- rollups [--quick] [--json] [--rigs N] [--rounds R]
// What folding the plain path's rollups costs (ingest/src/store/rollups.ts), per flush and per
// second of data, for a fleet of N rigs (default 500) sending one full reference frame (17
// channel summaries) a second, with flushes every 2 s and every 10 s of data:
//   - "ingest-sums" (the product): summaries summed per (rig, channel, bucket) in ingest as
//     frames commit (exact numeric sums), then one transaction: claim the markers, one upsert
//     per bucket and level;
//   - "sql-fold" (baseline, the way rollups were folded before): the same frames' summaries
//     grouped and summed by PostgreSQL from the stored rows (the recovery statement: claim the
//     markers, GROUP BY per level, upsert).
// Both against a real embedded PostgreSQL with the product's migrations, each mode in its own
// database, taking turns round by round. Timed: the flush alone (the frames are written before).
// Last line of stdout: one JSON object.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { createPgFrameWriter } from '../ingest/src/store/writer.js'
import { RollupFolder } from '../ingest/src/store/rollups.js'
import { validateFrame, type AcceptedFrame } from '../ingest/src/validate.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { percentiles } from './_stats.js'

const argv = process.argv.slice(2)
const arg = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }
const quick = argv.includes('--quick')
const json = argv.includes('--json')
const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
const rigs = Number(arg('--rigs') ?? 500)
const rounds = Number(arg('--rounds') ?? (quick ? 3 : 6))
const log = pino({ level: 'warn' }, pino.destination(2)) // stderr: stdout's last line is the result
const MODES = ['ingest-sums', 'sql-fold'] as const
type Mode = typeof MODES[number]

const dir = mkdtempSync(join(tmpdir(), 'rs-bench-rollups-'))
const epg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), persistent: false })
try {
  const sim = createSimulator({ seed: 7, startUs: (Math.floor(Date.now() / 1000) - 6 * 3600) * 1_000_000 })
  const load0 = loadavg()[0]
  const results: Record<string, Record<Mode, number[]>> = {}
  for (const perFlush of [2, 10]) {
    const times: Record<Mode, number[]> = { 'ingest-sums': [], 'sql-fold': [] }
    results[`${perFlush}s`] = times
    const dbs = new Map<Mode, { pool: pg.Pool, seqs: number[] }>()
    for (const m of MODES) {
      const url = await epg.createDatabase(`rollups_${perFlush}_${m.replace('-', '_')}`)
      await migrate(url, log)
      dbs.set(m, { pool: new pg.Pool({ connectionString: url, max: 3 }), seqs: new Array(rigs).fill(0) })
    }
    for (let round = 0; round < rounds + 1; round++) { // round 0 warms up (first buckets are inserts, not updates)
      const windows = Array.from({ length: perFlush }, () => sim.next())
      for (const m of MODES) {
        const d = dbs.get(m)!
        const frames: AcceptedFrame[] = []
        for (const w of windows) {
          for (let r = 0; r < rigs; r++) {
            const v = validateFrame(`rs/v1/bench/r${r}/frames`, toFrameBatch('bench', `r${r}`, ++d.seqs[r], w, Date.now() * 1000, sim.profileId), Date.now() * 1000)
            if (!v.ok) throw new Error(v.rejection.detail)
            frames.push(v.frame)
          }
        }
        const writer = createPgFrameWriter(d.pool, { rollups: 'deferred', rollupOptions: { flushMs: 86_400_000 }, log })
        for (let i = 0; i < frames.length; i += 500) await writer.write({ frames: frames.slice(i, i + 500), deadLetters: [] })
        let ms: number
        if (m === 'ingest-sums') {
          const t = performance.now()
          await writer.flushRollups!()
          ms = performance.now() - t
        } else {
          // the baseline: PostgreSQL groups the stored summaries (the writer's own sums are never flushed)
          const folder = new RollupFolder(d.pool, log, { flushMs: 86_400_000, recoverAfterMs: 0 })
          const t = performance.now()
          const n = await folder.recover(0, 1_000_000)
          ms = performance.now() - t
          if (n !== frames.length) throw new Error(`sql-fold folded ${n} of ${frames.length} frames`)
        }
        if (round > 0) times[m].push(ms)
        say(`${perFlush} s of data (${frames.length} frames), round ${round}${round === 0 ? ' (warm-up)' : ''}: ${m} ${ms.toFixed(0)} ms`)
      }
    }
    for (const d of dbs.values()) await d.pool.end()
  }
  const summary: Record<string, unknown> = {}
  for (const [k, t] of Object.entries(results)) {
    const secs = Number(k.slice(0, -1))
    const med = (xs: number[]): number => percentiles(xs).p50LatencyMs
    summary[k] = {
      ingestSumsMsPerFlush: med(t['ingest-sums']),
      sqlFoldMsPerFlush: med(t['sql-fold']),
      ingestSumsMsPerSecondOfData: Math.round(med(t['ingest-sums']) / secs),
      sqlFoldMsPerSecondOfData: Math.round(med(t['sql-fold']) / secs),
      runs: t
    }
  }
  const out = { bench: 'rollups', rigs, channelsPerFrame: 17, rounds, flushEvery: summary, machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg1mAtStart: Math.round(load0 * 10) / 10 } }
  say(`median ms per flush: ${Object.entries(summary).map(([k, v]) => `${k}: ingest-sums ${(v as any).ingestSumsMsPerFlush}, sql-fold ${(v as any).sqlFoldMsPerFlush}`).join('; ')}`)
  console.log(JSON.stringify(out))
} finally {
  await epg.stop()
  rmSync(dir, { recursive: true, force: true })
}
