import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SeqStore, SEQ_FILE } from '../src/seq-store.js'

const fresh = (): string => mkdtempSync(join(tmpdir(), 'rs-seq-'))
const persisted = (dir: string): number => (JSON.parse(readFileSync(join(dir, SEQ_FILE), 'utf8')) as { next: number }).next

test('seq store: starts at 1, reserves a block durably before using it', async () => {
  const dir = join(fresh(), 'acme', 'rig-1')
  const s = await SeqStore.open(dir, { block: 10 })
  assert.equal(s.last(), 0)
  assert.equal(await s.next(), 1)
  assert.equal(persisted(dir), 11, 'seqs 1..10 reserved')
  for (let i = 2; i <= 10; i++) assert.equal(await s.next(), i)
  assert.equal(persisted(dir), 11, 'no write inside a block')
  assert.equal(await s.next(), 11)
  assert.equal(persisted(dir), 21)
  assert.deepEqual(readdirSync(dir), [SEQ_FILE], 'no temp file left behind')
})

test('seq store: after a crash (no close) it resumes past every seq it may have used', async () => {
  const dir = fresh()
  const a = await SeqStore.open(dir, { block: 100 })
  let last = 0
  for (let i = 0; i < 137; i++) last = await a.next()
  // no close(): the process died here
  const b = await SeqStore.open(dir, { block: 100 })
  const first = await b.next()
  assert.ok(first > last, `${first} > ${last}`)
  assert.equal(first, 201, 'resumes at the persisted reservation')
})

test('seq store: after a graceful close it resumes at exactly the next seq', async () => {
  const dir = fresh()
  const a = await SeqStore.open(dir, { block: 100 })
  for (let i = 0; i < 42; i++) await a.next()
  await a.close()
  assert.equal(persisted(dir), 43)
  const b = await SeqStore.open(dir)
  assert.equal(await b.next(), 43)
  await assert.rejects(a.next(), /closed/)
})

test('seq store: a corrupt file is refused with RS_ERR_AGENT_STATE, never guessed', async () => {
  const dir = fresh()
  writeFileSync(join(dir, SEQ_FILE), '{"version":1,"ne')
  await assert.rejects(SeqStore.open(dir), { code: 'RS_ERR_AGENT_STATE' })
  writeFileSync(join(dir, SEQ_FILE), '{"version":1,"next":-4}')
  await assert.rejects(SeqStore.open(dir), { code: 'RS_ERR_AGENT_STATE' })
  await assert.rejects(SeqStore.open(fresh(), { block: 0 }), { code: 'RS_ERR_CONFIG' })
  // a state folder that cannot exist: its parent is a file
  writeFileSync(join(dir, 'plain-file'), '')
  await assert.rejects(SeqStore.open(join(dir, 'plain-file', 'rig')), { code: 'RS_ERR_AGENT_STATE' })
})
