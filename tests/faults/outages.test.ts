// Fault tests at 20 rigs, real processes (issue 4): each agent is its own process (the real
// startAgent with its default disk spool), the broker is a real Mosquitto 2 with persistence on a
// fixed port, ingest and PostgreSQL are the real ones (tests/e2e/harness.ts). The agents reach the
// broker through a TCP proxy. One outage of 5 real minutes, during which the agents cannot reach
// the broker, holds the other two faults (run concurrently to keep CI time down):
//   0-60 s   the broker is stopped (agents: connection refused, backoff), then started again on
//            the same port with the same persistence file;
//   60-300 s the proxy is a black hole (no reset: agents find out by keepalive and connect timeouts);
//   at 150 s every agent is killed with SIGKILL mid-stream (frames spooled, some published and
//            not acknowledged) and started again at once, into the outage.
// Then the link heals, the agents reconnect to the restarted broker and replay (paced) what they
// spooled. Afterwards every seq of every rig is in the database exactly once and none is missing.
//
// Why Mosquitto: aedes, in process, keeps its QoS 1 queues in memory, so frames it acknowledged
// to agents but not yet delivered to ingest would die with it; Mosquitto writes them to its
// persistence file when stopped and delivers them after the restart, which is what a deployment
// with an external broker does. The sources run 3x faster than real time (60 frames/s for the
// fleet) so the outage leaves real backlogs (about 900 frames per rig); the outage is real time.
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
const KILL_AT_MS = 150_000

test('20 agent processes, broker unreachable 5 min (stopped for the first 60 s, then a black hole), every agent SIGKILLed and restarted meanwhile: every seq stored exactly once, none missing', { timeout: 900_000 }, async t => {
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
  await until(() => all(a => (a.stats?.acked ?? 0) >= 10), 'every rig streaming')
  const outageStart = Date.now()
  const at = (ms: number): Promise<void> => sleep(Math.max(0, outageStart + ms - Date.now()))

  // 0-60 s: broker stopped
  await mosq.stop()
  await at(BROKER_DOWN_MS)
  assert.ok(all(a => a.stats?.connected === false), 'every agent noticed the broker is gone')
  assert.ok(all(a => (a.stats?.spooled ?? 0) >= SPEED * BROKER_DOWN_MS / 2000), `frames spooled meanwhile: ${agents.map(a => a.stats?.spooled).join(' ')}`)
  // 60 s: the broker comes back, but the link to it is now a black hole
  proxy.cut('blackhole')
  await mosq.start()

  // 150 s: SIGKILL every agent, restart at once; the restarted agent finds its spool on disk
  await at(KILL_AT_MS)
  const before = agents.map(a => a.stats?.spooled ?? 0)
  await Promise.all(agents.map(a => a.kill()))
  assert.ok(agents.every(a => a.proc.signalCode === 'SIGKILL'))
  agents = spawnAll()
  await until(() => all(a => a.stats !== undefined), 'every restarted agent reporting')
  const after = agents.map(a => a.stats!.spooled)
  assert.ok(after.every((n, i) => n >= before[i]), `every frame spooled before the kill is back: before ${before.join(' ')}, after ${after.join(' ')}`)

  await at(UNREACHABLE_MS)
  assert.ok(all(a => a.stats?.connected === false), 'still cut off')
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
