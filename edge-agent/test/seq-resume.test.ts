// Seq resumption with a synced disk spool: no gap after a crash, and never a reused seq when runs
// with and without a synced spool take turns on the same state folder.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SeqStore } from '../src/seq-store.js'
import { createDiskSpool } from '../src/spool/disk.js'

const payload = new Uint8Array(8)

test('seq store + synced disk spool: a crash leaves no gap; unlogged runs in between never make a seq come back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rs-seqr-'))
  const spoolDir = join(dir, 'spool')
  const used: number[] = []
  // run A: synced spool, appends 1..30, crashes (neither store closed)
  let spool = await createDiskSpool({ dir: spoolDir })
  let seqs = await SeqStore.open(dir, { block: 100, log: spool })
  for (let i = 0; i < 30; i++) { const s = await seqs.next(); await spool.append({ seq: s, payload }); used.push(s) }
  await seqs.next() // taken but never appended (killed before the write): never published
  await spool.close()
  // run B: synced spool again: resumes right after the last appended seq
  spool = await createDiskSpool({ dir: spoolDir })
  seqs = await SeqStore.open(dir, { block: 100, log: spool })
  assert.equal(await seqs.next(), 31, 'no gap after the crash')
  await spool.append({ seq: 31, payload }); used.push(31)
  await spool.close()
  // run C: no synced log (e.g. a memory spool): starts at the reservation, uses 101..110, crashes
  seqs = await SeqStore.open(dir, { block: 100 })
  for (let i = 0; i < 10; i++) used.push(await seqs.next())
  assert.equal(used[used.length - 10], 101)
  // run D: synced spool, crashes before appending anything
  spool = await createDiskSpool({ dir: spoolDir })
  seqs = await SeqStore.open(dir, { block: 100, log: spool })
  const d = await seqs.next()
  assert.ok(d > 110, `run D starts past run C's seqs (got ${d})`)
  await spool.close()
  // run E: synced spool: must not resume at spool.lastSeq() + 1 = 32, which run C used
  spool = await createDiskSpool({ dir: spoolDir })
  assert.equal(spool.lastSeq(), 31)
  seqs = await SeqStore.open(dir, { block: 100, log: spool })
  const e = await seqs.next()
  assert.ok(e > 110 && e >= d, `run E never goes back below its runs' first seq (got ${e})`)
  await spool.append({ seq: e, payload })
  await seqs.close()
  await spool.close()
  assert.equal(new Set(used).size, used.length)
})

test('seq store + synced disk spool: a deleted or damaged spool never makes a seq come back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rs-seql-'))
  const spoolDir = join(dir, 'spool')
  const used: number[] = []
  const run = async (n: number, close: boolean): Promise<number[]> => {
    const spool = await createDiskSpool({ dir: spoolDir })
    const seqs = await SeqStore.open(dir, { block: 100, log: spool })
    const got: number[] = []
    for (let i = 0; i < n; i++) { const s = await seqs.next(); await spool.append({ seq: s, payload }); got.push(s) }
    if (close) await seqs.close()
    await spool.close()
    used.push(...got)
    return got
  }
  assert.deepEqual(await run(56, true), Array.from({ length: 56 }, (_, i) => i + 1))
  // the spool folder is deleted (seq.json survives): the run goes on past every used seq
  rmSync(spoolDir, { recursive: true })
  const a = await run(6, true)
  assert.ok(a[0] > 56, `after a deleted spool the seq resumes past 56 (got ${a[0]})`)
  // the same after a crash (no close): the reservation, not seq 1
  rmSync(spoolDir, { recursive: true })
  const b = await run(3, false)
  assert.ok(b[0] > a[a.length - 1], `got ${b[0]}`)
  rmSync(spoolDir, { recursive: true })
  const c = await run(3, true)
  assert.ok(c[0] > b[b.length - 1], `got ${c[0]}`)
  // the newest segment overwritten with junk: not a torn tail, so its frames may have been published
  const newest = readdirSync(spoolDir).filter(f => !f.endsWith('.ack')).sort().at(-1)!
  writeFileSync(join(spoolDir, newest), Buffer.alloc(4096, 0x5a))
  const spool = await createDiskSpool({ dir: spoolDir })
  assert.equal(spool.lastSeqCertain, false)
  const seqs = await SeqStore.open(dir, { block: 100, log: spool })
  assert.equal(seqs.logDistrusted, true)
  const d = [await seqs.next(), await seqs.next()]
  for (const s of d) await spool.append({ seq: s, payload })
  used.push(...d)
  await seqs.close()
  await spool.close()
  assert.ok(d[0] > c[c.length - 1], `after a damaged newest segment the seq resumes past ${c[c.length - 1]} (got ${d[0]})`)
  // and a torn tail (power loss mid-append) is still resumed right after, with no gap
  const e = await run(2, false)
  assert.equal(e[0], d[d.length - 1] + 1)
  assert.equal(new Set(used).size, used.length, 'no seq used twice')
})
