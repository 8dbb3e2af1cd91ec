// Spool full: while the broker is unreachable the agent's spool reaches its bound; the policy
// drops the oldest unsent frames, counts them (agent stats) and logs them; after the broker is
// back, every frame the spool kept is in the database, and only the dropped ones are not.
// Real parts: aedes broker with device credentials + ingest + PostgreSQL (tests/e2e/harness.ts),
// a TCP proxy in front of the broker, the agent as its own process with its disk spool.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startStack } from '../e2e/harness.js'
import { startProxy } from '../support/net-proxy.js'
import { spawnAgent, until } from '../support/agent-runner.js'
import { deadLetters, gaps, storedSeqs } from './db.js'

const TENANT = 'acme'
const RIG = 'rig-full'
const MAX_FRAMES = 40

test('spool full: oldest unsent frames dropped, counted in stats and logs; every kept frame reaches the database', { timeout: 240_000 }, async t => {
  const stack = await startStack()
  t.after(() => stack.close())
  const proxy = await startProxy(Number(new URL(stack.mqttUrl).port))
  t.after(() => proxy.close())
  const cred = await stack.device(TENANT, RIG)
  const speed = 20
  const agent = spawnAgent({
    brokerUrl: proxy.url,
    tenant: TENANT,
    rig: RIG,
    ...cred,
    stateDir: mkdtempSync(join(tmpdir(), 'rs-full-')),
    speed,
    seed: 7,
    // windows run ahead of the wall clock at speed 20: start them in the past
    startUs: Math.floor(Date.now() / 1000 - speed * 240) * 1_000_000,
    maxFrames: MAX_FRAMES,
    backoff: { initialMs: 200, maxMs: 1000 }
  })
  t.after(() => agent.kill())

  await until(() => (agent.stats?.acked ?? 0) >= 20, 'the first 20 frames acknowledged')
  proxy.cut('reset')
  await until(() => (agent.stats?.dropped ?? 0) >= 60, 'the spool to overflow by 60 frames')
  proxy.heal()
  await until(() => agent.stats?.connected === true && agent.stats.spooled === 0, 'the kept frames to be delivered')
  const final = await agent.stop()
  assert.ok(final)
  assert.equal(final.spooled, 0)

  const kept = final.seq - final.dropped
  await until(async () => (await storedSeqs(stack.pool, TENANT, RIG)).length >= kept, `${kept} frames in the database`, 60_000)
  const seqs = await storedSeqs(stack.pool, TENANT, RIG)
  const missing = gaps(seqs, final.seq)
  assert.equal(seqs.length, kept, 'stored = taken - dropped')
  assert.equal(missing.length, 1, `the dropped frames are one run of the oldest unsent ones (missing: ${missing.join(', ')})`)
  const [from, to] = missing[0].split('-').map(Number)
  assert.equal((to ?? from) - from + 1, final.dropped, 'exactly the dropped count is missing')
  assert.ok(from > 20, 'frames acknowledged before the outage were never dropped')
  assert.ok((to ?? from) < final.seq - MAX_FRAMES + 1, 'the newest frames were kept')
  const logged = agent.logs.filter(l => l.msg === 'spool full: dropped oldest unsent frames')
  assert.ok(logged.length >= 1, 'the drop is logged')
  assert.equal(logged[0].dropped, 1, 'from the first dropped frame')
  assert.equal(await deadLetters(stack.pool), 0)
})
