// The disk spool: the shared contract, then what only a durable spool shows (reopen, torn tail,
// a writer killed with SIGKILL).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createDiskSpool } from '../src/spool/disk.js'
import type { Spool } from '../src/spool/types.js'
import { payloadFor, spoolContract } from './spool-contract.js'

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rs-spool-'))

spoolContract('disk spool (fsync always)', async bounds => createDiskSpool({ dir: tmp(), ...bounds }))
spoolContract('disk spool (fsync never, 1 KiB segments, no cache)', async bounds => createDiskSpool({ dir: tmp(), fsync: 'never', segmentBytes: 1024, cacheBytes: 0, ...bounds }))

function drainAll (s: Spool): Array<{ seq: number, payload: number[] }> {
  const out = []
  for (let f = s.take(); f; f = s.take()) out.push({ seq: f.seq, payload: Array.from(f.payload) })
  return out
}

test('disk spool: reopened, it holds exactly the frames not acknowledged, in order, and remembers the last seq', async () => {
  const dir = tmp()
  const a = await createDiskSpool({ dir, segmentBytes: 1024 })
  for (let seq = 1; seq <= 40; seq++) await a.append({ seq, payload: payloadFor(seq) })
  const taken = drainAll(a)
  assert.equal(taken.length, 40)
  for (const f of taken.filter(f => f.seq <= 25 || f.seq % 2 === 0)) await a.ack(f.seq)
  await a.close()

  const b = await createDiskSpool({ dir, segmentBytes: 1024 })
  const want = Array.from({ length: 15 }, (_, i) => 26 + i).filter(s => s % 2 === 1)
  assert.equal(b.recovered.frames, want.length)
  assert.deepEqual(b.stats(), { frames: want.length, bytes: want.reduce((n, s) => n + payloadFor(s).length, 0), unsent: want.length, inflight: 0, dropped: 0 })
  assert.equal(b.lastSeq(), 40)
  assert.deepEqual(drainAll(b), want.map(seq => ({ seq, payload: Array.from(payloadFor(seq)) })))
  await assert.rejects(b.append({ seq: 40, payload: payloadFor(40) }), 'seqs keep increasing across a reopen')
  await b.append({ seq: 41, payload: payloadFor(41) })
  for (const s of [...want, 41]) await b.ack(s)
  await b.close()
  const segs = readdirSync(dir).filter(n => n.endsWith('.seg'))
  assert.equal(segs.length, 1, `acknowledged segments are deleted; only the newest stays (${segs.join(', ')})`)

  const c = await createDiskSpool({ dir })
  assert.equal(c.stats().frames, 0)
  assert.equal(c.lastSeq(), 41, 'the last seq survives even when every frame was acknowledged')
  await c.close()
})

test('disk spool: a torn record at the end (power cut mid-write) is cut off; the frames before it survive', async () => {
  const dir = tmp()
  const a = await createDiskSpool({ dir })
  for (let seq = 1; seq <= 5; seq++) await a.append({ seq, payload: payloadFor(seq) })
  await a.close()
  const seg = readdirSync(dir).find(n => n.endsWith('.seg'))!
  appendFileSync(join(dir, seg), Buffer.from([120, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 24, 64, 9, 9])) // header of seq 6, body cut short
  const b = await createDiskSpool({ dir })
  assert.equal(b.recovered.tornBytes, 18)
  assert.deepEqual(drainAll(b).map(f => f.seq), [1, 2, 3, 4, 5])
  assert.equal(b.lastSeq(), 5)
  await b.append({ seq: 6, payload: payloadFor(6) })
  await b.close()
  const c = await createDiskSpool({ dir })
  assert.deepEqual(drainAll(c), [1, 2, 3, 4, 5, 6].map(seq => ({ seq, payload: Array.from(payloadFor(seq)) })))
  await c.close()
})

test('disk spool: a writer killed with SIGKILL loses no frame it was told was appended', { timeout: 60_000 }, async () => {
  const dir = tmp()
  const child = spawn(process.execPath, [fileURLToPath(new URL('./spool-child.js', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const appended: number[] = []
  const acked = new Set<number>()
  const exited = new Promise<NodeJS.Signals | null>(resolve => child.once('exit', (_c, sig) => resolve(sig)))
  const lines = createInterface({ input: child.stdout! })
  const done = new Promise<void>(resolve => lines.on('close', resolve))
  lines.on('line', line => {
    const [kind, n] = line.split(' ')
    if (kind === 'a') appended.push(Number(n))
    else acked.add(Number(n))
    if (appended.length === 600 && child.exitCode === null) child.kill('SIGKILL')
  })
  assert.equal(await exited, 'SIGKILL')
  await done
  assert.ok(appended.length >= 600)

  const s = await createDiskSpool({ dir, segmentBytes: 4096 })
  const back = drainAll(s)
  const backSeqs = new Set(back.map(f => f.seq))
  const lost = appended.filter(seq => !acked.has(seq) && !backSeqs.has(seq))
  assert.deepEqual(lost, [], 'every frame reported as appended and not acknowledged is back')
  for (const f of back) assert.deepEqual(f.payload, Array.from(payloadFor(f.seq)), `frame ${f.seq} intact`)
  assert.ok(s.lastSeq() >= appended[appended.length - 1], 'the last seq is at least the last one reported')
  assert.ok(back.every((f, i) => i === 0 || f.seq > back[i - 1].seq), 'in seq order')
  assert.ok(back.length < appended.length, 'acknowledged frames left the disk')
  await s.close()
})

test('disk spool: a write that fails (file size limit: EFBIG) is retried in a new segment; nothing is lost or torn', { timeout: 60_000 }, async () => {
  const dir = tmp()
  const script = fileURLToPath(new URL('./spool-child.js', import.meta.url))
  // ulimit -f 64: no file of this process may pass 64 KiB; the 600 frames need about 90 KiB
  const child = spawn('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" "${script}" "${dir}" retry`], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', l => lines.push(l))
  const code = await new Promise<number | null>(resolve => child.once('exit', c => resolve(c)))
  assert.equal(code, 0)
  const errors = lines.filter(l => l.startsWith('e '))
  assert.ok(errors.length >= 1, 'the size limit was hit')
  assert.ok(errors.every(l => l === 'e EFBIG'), errors.join(', '))
  assert.equal(lines.filter(l => l.startsWith('a ')).length, 600)
  const s = await createDiskSpool({ dir })
  assert.deepEqual(s.recovered, { frames: 600, tornBytes: 0, corruptSegments: 0 })
  assert.deepEqual(drainAll(s), Array.from({ length: 600 }, (_, i) => ({ seq: i + 1, payload: Array.from(payloadFor(i + 1)) })))
  await s.close()
})

test('disk spool: a frame that fails again and again in a fresh segment does not take the frames after it down', { timeout: 60_000 }, async () => {
  const dir = tmp()
  const script = fileURLToPath(new URL('./spool-child.js', import.meta.url))
  const child = spawn('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" "${script}" "${dir}" big`], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', l => lines.push(l))
  assert.equal(await new Promise<number | null>(resolve => child.once('exit', c => resolve(c))), 0)
  assert.deepEqual(lines, ['e EFBIG', 'e EFBIG', 'e EFBIG'])
  const s = await createDiskSpool({ dir })
  assert.equal(s.recovered.corruptSegments, 0)
  assert.deepEqual(drainAll(s), Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, payload: Array.from(payloadFor(i + 1)) })))
  await s.close()
})
