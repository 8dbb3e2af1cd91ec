// Spool throughput, measured through the Spool interface: `benchSpool()` is what bench/spool.ts
// (`npm run bench -- spool`) prints and what bench/edge.ts reports. Real frames (simulator
// windows of the reference profile, ~3 KB FrameBatch each), a fresh folder per run, a warm-up.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toFrameBatch } from '../framing.js'
import { createSimulator } from '../sources/simulator.js'
import { createDiskSpool, type FsyncPolicy } from './disk.js'
import { createMemorySpool } from './memory.js'
import type { Spool } from './types.js'

export interface SpoolBenchResult {
  /** sequential appends (as the agent does: one await per frame), default policy fsync always */
  writeFramesPerSec: number
  /** reopen + take + ack of everything written (a cold start replaying its backlog) */
  replayFramesPerSec: number
  frames: number
  frameBytes: number
  append: Record<string, { framesPerSec: number, mbPerSec: number }>
  /** open() of a spool holding `frames` frames: scan + CRC check of every record */
  reopenMs: number
  [k: string]: unknown
}

const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000))

export async function benchSpool (o: { quick?: boolean } = {}): Promise<SpoolBenchResult> {
  const N = o.quick === true ? 2000 : 20_000
  const sim = createSimulator({ seed: 1, startUs: 1_700_000_000_000_000 })
  const payloads = Array.from({ length: 60 }, (_, i) => toFrameBatch('bench', 'spool', i + 1, sim.next(), 0, 'uci-hydraulic/v1'))
  const frameBytes = payloads[0].byteLength
  const dirs: string[] = []
  const fresh = (): string => { const d = mkdtempSync(join(tmpdir(), 'rs-bench-spool-')); dirs.push(d); return d }

  async function appendRun (spool: Spool, n: number, parallel = 1): Promise<number> {
    const t0 = performance.now()
    let seq = spool.lastSeq()
    for (let i = 0; i < n; i += parallel) {
      const batch: Array<Promise<number>> = []
      for (let j = 0; j < parallel && i + j < n; j++) { seq++; batch.push(spool.append({ seq, payload: payloads[seq % payloads.length] })) }
      await Promise.all(batch)
    }
    return performance.now() - t0
  }

  const append: SpoolBenchResult['append'] = {}
  const record = (name: string, ms: number, n: number): void => { append[name] = { framesPerSec: rate(n, ms), mbPerSec: Math.round(n * frameBytes / 1e6 / (ms / 1000) * 10) / 10 } }
  try {
    // warm-up
    const w = await createDiskSpool({ dir: fresh(), maxFrames: N * 2, maxBytes: 2 ** 31 })
    await appendRun(w, Math.min(N, 2000))
    await w.close()

    const mem = createMemorySpool({ maxFrames: N * 2, maxBytes: 2 ** 31 })
    record('memory (baseline)', await appendRun(mem, N), N)
    await mem.close()
    for (const fsync of ['never', 'interval', 'always'] as FsyncPolicy[]) {
      const s = await createDiskSpool({ dir: fresh(), fsync, maxFrames: N * 2, maxBytes: 2 ** 31 })
      record(`disk, fsync ${fsync}`, await appendRun(s, N), N)
      await s.close()
    }
    const g = await createDiskSpool({ dir: fresh(), maxFrames: N * 2, maxBytes: 2 ** 31 })
    record('disk, fsync always, 16 appends in flight (group commit)', await appendRun(g, N, 16), N)
    await g.close()

    // replay: the 'always' spool written above, reopened cold (payloads come back from disk)
    const dir = fresh()
    const s = await createDiskSpool({ dir, maxFrames: N * 2, maxBytes: 2 ** 31 })
    const writeMs = await appendRun(s, N)
    await s.close()
    const t0 = performance.now()
    const r = await createDiskSpool({ dir, maxFrames: N * 2, maxBytes: 2 ** 31 })
    const reopenMs = performance.now() - t0
    let n = 0
    for (let f = r.take(); f; f = r.take()) { await r.ack(f.seq); n++ }
    const replayMs = performance.now() - t0
    await r.close()
    if (n !== N) throw new Error(`replay returned ${n} frames, wrote ${N}`)
    return { writeFramesPerSec: rate(N, writeMs), replayFramesPerSec: rate(N, replayMs), frames: N, frameBytes, append, reopenMs: Math.round(reopenMs) }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}
