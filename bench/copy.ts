// npm run bench -- copy [--quick] [--json] [--frames N] [--batch B] [--rounds R]
// How frame rows reach PostgreSQL (issue 5: "COPY text or binary: measure and choose"): the
// same accepted frames (the simulator's full reference channel set, 17 channel rows and 728
// samples a frame, validated as ingest does) written by ingest's writer (ingest/src/store/
// writer.ts: keys, rows, rig rows, rollup markers, COMMIT; one transaction per batch) into a real
// embedded PostgreSQL, with the rows sent as
//   - text COPY (`COPY ... FROM STDIN`, floats as shortest decimal text),
//   - binary COPY (`(FORMAT binary)`, floats as their 4 bytes),
//   - one INSERT of unnested arrays (the mode for servers without COPY FROM STDIN).
// Each mode writes into a fresh database of its own; the modes take turns for R rounds
// (default 3; --quick 2) so that a change in the machine's load hits them alike. Reported per
// mode: frames/s and samples/s (wall), and this process's CPU per frame (encoding and driver;
// PostgreSQL's own work is in the wall time). Last line of stdout: one JSON object.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { createPgFrameWriter, type PgFrameWriterOptions } from '../ingest/src/store/writer.js'
import { validateFrame, DEFAULT_LIMITS, type AcceptedFrame } from '../ingest/src/validate.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'

type Mode = NonNullable<PgFrameWriterOptions['rows']>
const MODES: Mode[] = ['copy', 'copy-binary', 'insert']
const argv = process.argv.slice(2)
const arg = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }
const quick = argv.includes('--quick')
const json = argv.includes('--json')
const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
const nFrames = Number(arg('--frames') ?? (quick ? 5000 : 20_000))
const batch = Number(arg('--batch') ?? 500)
const rounds = Number(arg('--rounds') ?? (quick ? 2 : 3))
const log = pino({ level: 'warn' }, pino.destination(2)) // stderr: stdout's last line is the result

// frames from the simulator: 100 rigs, consecutive seqs, as validated by ingest
const sim = createSimulator({ seed: 7, startUs: (Math.floor(Date.now() / 1000) - 3600) * 1_000_000 })
const rigs = 100
function makeFrames (n: number, seqBase: number): AcceptedFrame[] {
  const out: AcceptedFrame[] = []
  let w = sim.next()
  for (let k = 0; k < n; k++) {
    const r = k % rigs
    if (r === 0 && k > 0) w = sim.next()
    const seq = seqBase + Math.floor(k / rigs) + 1
    const rig = `r${String(r).padStart(3, '0')}`
    const payload = toFrameBatch('bench', rig, seq, w, Date.now() * 1000, sim.profileId)
    const v = validateFrame(`rs/v1/bench/${rig}/frames`, payload, Date.now() * 1000, { ...DEFAULT_LIMITS, clockSkewPastMs: 86_400_000 })
    if (!v.ok) throw new Error(v.rejection.detail)
    out.push(v.frame)
  }
  return out
}

const dir = mkdtempSync(join(tmpdir(), 'rs-bench-copy-'))
const epg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), persistent: false })
try {
  const samplesPerFrame = makeFrames(1, 0)[0].channels.reduce((a, c) => a + c.samples.length, 0)
  say(`PostgreSQL ${epg.port}; ${nFrames} frames (${samplesPerFrame} samples, 17 channel rows each) per mode and round, batches of ${batch}, ${rounds} rounds`)
  const pools = new Map<Mode, pg.Pool>()
  for (const m of MODES) {
    const url = await epg.createDatabase(`copy_${m.replace('-', '_')}`)
    await migrate(url, log)
    pools.set(m, new pg.Pool({ connectionString: url, max: 2 }))
  }
  const acc = new Map<Mode, { frames: number, wallS: number, cpuMs: number }>(MODES.map(m => [m, { frames: 0, wallS: 0, cpuMs: 0 }]))
  for (let round = 0; round < rounds; round++) {
    const frames = makeFrames(nFrames, round * Math.ceil(nFrames / rigs))
    for (const m of MODES) {
      // rollups deferred as in ingest (markers in the transaction; the fold is not part of this)
      const w = createPgFrameWriter(pools.get(m)!, { rows: m, rollups: 'deferred', rollupOptions: { flushMs: 3_600_000 }, log })
      globalThis.gc?.()
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      for (let i = 0; i < frames.length; i += batch) {
        const r = await w.write({ frames: frames.slice(i, i + batch), deadLetters: [] })
        if (r.stored.length !== Math.min(batch, frames.length - i)) throw new Error(`${m}: stored ${r.stored.length}`)
      }
      const wall = (performance.now() - t0) / 1000
      const cpu = process.cpuUsage(cpu0)
      const a = acc.get(m)!
      a.frames += frames.length; a.wallS += wall; a.cpuMs += (cpu.user + cpu.system) / 1000
      say(`  round ${round + 1} ${m}: ${Math.round(frames.length / wall).toLocaleString('en')} frames/s`)
      await w.close?.()
    }
  }
  const results = Object.fromEntries(MODES.map(m => {
    const a = acc.get(m)!
    return [m, { framesPerSec: Math.round(a.frames / a.wallS), samplesPerSec: Math.round(a.frames * samplesPerFrame / a.wallS), nodeCpuUsPerFrame: Math.round(a.cpuMs * 1000 / a.frames) }]
  }))
  for (const p of pools.values()) await p.end()
  const out = {
    bench: 'copy',
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg1mAtStart: Math.round(loadavg()[0] * 10) / 10 },
    framesPerMode: nFrames * rounds,
    batch,
    samplesPerFrame,
    ...results,
    binaryVsText: Math.round(results['copy-binary'].framesPerSec / results.copy.framesPerSec * 100) / 100
  }
  say(`text COPY ${results.copy.framesPerSec} frames/s (${results.copy.nodeCpuUsPerFrame} µs CPU here per frame), binary COPY ${results['copy-binary'].framesPerSec} (${results['copy-binary'].nodeCpuUsPerFrame} µs), INSERT ${results.insert.framesPerSec} (${results.insert.nodeCpuUsPerFrame} µs)`)
  console.log(JSON.stringify(out))
} finally {
  await epg.stop().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
}
