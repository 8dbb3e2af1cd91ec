// Seq resumption with a synced disk spool: no gap after a crash, and never a reused seq when runs
// with and without a synced spool take turns on the same state folder.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
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
