// Fault tests at 20 rigs, real processes (issue 4): each agent is its own process (the real
// startAgent with its default disk spool), the broker is a real Mosquitto 2 with persistence on a
// fixed port, ingest and PostgreSQL are the real ones (tests/e2e/harness.ts). In one run, in turn:
//   1. every agent killed with SIGKILL mid-stream and started again;
//   2. the broker stopped for 60 s, then started again (same port, same persistence file);
//   3. the broker unreachable for 5 real minutes: a TCP proxy between agents and broker becomes a
//      black hole (no reset: the agents find out by keepalive and connect timeouts).
// Afterwards every seq of every rig is in the database exactly once and none is missing.
//
// Why Mosquitto: aedes, in process, keeps its QoS 1 queues in memory, so frames it acknowledged
// to agents but not yet delivered to ingest would die with it; Mosquitto writes them to its
// persistence file when stopped and delivers them after the restart, which is what a deployment
// with an external broker does. The sources run 3x faster than real time (60 frames/s for the
// fleet) so the outages leave real backlogs (about 900 frames per rig after the 5 minutes); the
// outages themselves are real time.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startStack } from '../e2e/harness.js'
import { restartableMosquitto } from '../support/mosquitto.js'
import { startProxy } from '../support/net-proxy.js'
import { spawnAgent, until, type AgentProc } from '../support/agent-runner.js'
import type { AgentProcOptions } from '../support/agent-proc.js'
import { deadLetters, gaps, rowAnomalies, storedSeqs } from './db.js'

const TENANT = 'faults'
const RIGS = 20
const SPEED = 3
const RATE = 50 // frames/s per rig at most (replay pacing)
const CHANNELS = 17 // the reference profile uci-hydraulic/v1
const BROKER_DOWN_MS = 60_000
const UNREACHABLE_MS = 300_000

test('20 agent processes: SIGKILL + restart, broker stopped 60 s, broker unreachable 5 min: every seq stored exactly once, none missing', { timeout: 900_000 }, async t => {
  const mosq = await restartableMosquitto()
  t.after(() => mosq.stop())
  const stack = await startStack({ externalMqttUrl: mosq.url })
  t.after(() => stack.close())
  const proxy = await startProxy(mosq.port)
  t.after(() => proxy.close())

  const options = Array.from({ length: RIGS }, (_, i): AgentProcOptions => ({
    brokerUrl: proxy.url,
    tenant: TENANT,
    rig: `rig-${String(i + 1).padStart(2, '0')}`,
    stateDir: mkdtempSync(join(tmpdir(), 'rs-faults-')),
    speed: SPEED,
    seed: i + 1,
    startUs: 0,
    publishRate: RATE,
    backoff: { initialMs: 500, maxMs: 5000 }
  }))
  // windows run ahead of the wall clock at SPEED: start them far enough in the past that no
  // window is in the future before the test ends (ingest rejects those: RS_ERR_CLOCK)
  const spawnAll = (): AgentProc[] => options.map(o => spawnAgent({ ...o, startUs: Math.floor(Date.now() / 1000 - SPEED * 900) * 1_000_000 }))
  let agents = spawnAll()
  t.after(() => Promise.all(agents.map(a => a.kill())))
  const all = (pred: (a: AgentProc) => boolean): boolean => agents.every(pred)

  // 1. SIGKILL mid-stream, restart at once
  await until(() => all(a => (a.stats?.acked ?? 0) >= 10), 'every rig streaming')
  await Promise.all(agents.map(a => a.kill()))
  assert.ok(agents.every(a => a.proc.signalCode === 'SIGKILL'))
  agents = spawnAll()
  await until(() => all(a => (a.stats?.acked ?? 0) >= 10), 'every restarted rig streaming')

  // 2. broker stopped for 60 s
  await mosq.stop()
  await sleep(BROKER_DOWN_MS)
  assert.ok(all(a => a.stats?.connected === false), 'every agent noticed the broker is gone')
  assert.ok(all(a => (a.stats?.spooled ?? 0) >= SPEED * BROKER_DOWN_MS / 2000), `frames spooled meanwhile: ${agents.map(a => a.stats?.spooled).join(' ')}`)
  await mosq.start()
  const ackedAtRestart = agents.map(a => a.stats?.acked ?? 0)
  await until(() => all(a => a.stats?.connected === true), 'every agent back on the broker')
  await until(() => agents.every((a, i) => (a.stats?.acked ?? 0) >= ackedAtRestart[i] + 20), 'every agent replaying')
  assert.ok(all(a => (a.stats?.reconnects ?? 0) >= 1))

  // 3. broker unreachable for 5 minutes (black hole), in the middle of the replay
  proxy.cut('blackhole')
  await sleep(UNREACHABLE_MS)
  assert.ok(all(a => a.stats?.connected === false), 'every agent found the dead link (keepalive)')
  const backlog = agents.map(a => a.stats?.spooled ?? 0)
  assert.ok(backlog.every(n => n >= SPEED * UNREACHABLE_MS * 0.75 / 1000), `the spools hold the outage: ${backlog.join(' ')}`)
  proxy.heal()
  const healedAt = Date.now()
  await until(() => all(a => a.stats?.connected === true && a.stats.spooled < SPEED * 2), 'every spool drained', 300_000)
  const drainS = (Date.now() - healedAt) / 1000
  t.diagnostic(`after the 5 min outage: backlog ${Math.min(...backlog)}-${Math.max(...backlog)} frames per rig, drained in ${drainS.toFixed(1)} s`)
  // Replay is paced: the backlog cannot have drained faster than the publish cap (a one-sided
  // bound: a slow machine only makes it slower).
  assert.ok(drainS >= (Math.min(...backlog) - RATE) / RATE, `drained ${Math.min(...backlog)} frames in ${drainS} s, faster than ${RATE}/s`)

  const finals = await Promise.all(agents.map(a => a.stop()))
  for (const [i, f] of finals.entries()) {
    assert.ok(f, `final stats of ${options[i].rig}`)
    assert.equal(f.spooled, 0, `${options[i].rig}: nothing left unacknowledged`)
    assert.equal(f.dropped, 0, `${options[i].rig}: the spool never overflowed`)
  }

  const want = finals.reduce((n, f) => n + f!.seq, 0)
  t.diagnostic(`${want} frames taken by ${RIGS} rigs; reconnects per rig ${Math.min(...finals.map(f => f!.reconnects))}-${Math.max(...finals.map(f => f!.reconnects))}`)
  await until(async () => {
    const r = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM frame_keys')
    return Number(r.rows[0].n) >= want
  }, `${want} frames in the database`, 120_000)
  for (const [i, o] of options.entries()) {
    const seqs = await storedSeqs(stack.pool, TENANT, o.rig)
    const last = finals[i]!.seq
    assert.deepEqual(gaps(seqs, last), [], `${o.rig}: no seq missing in 1..${last}`)
    assert.equal(seqs.length, last, `${o.rig}: each seq once, none past the last`)
  }
  assert.deepEqual(await rowAnomalies(stack.pool, TENANT, CHANNELS), [], 'every stored frame has its channels exactly once')
  assert.equal(await deadLetters(stack.pool), 0)
})
