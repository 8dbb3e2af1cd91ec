import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { FrameBatch, RigState, rigTopic } from '../../schemas/src/index.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { startAgent, type Agent } from '../src/agent.js'
import { createSimulator } from '../src/sources/simulator.js'
import { collect, int64, limited, quietLogger } from './helpers.js'

const TENANT = 'acme'
const RIG = 'rig-1'
const START = Math.floor(Date.now() / 1000) * 1_000_000

async function acked (agent: Agent, n: number): Promise<void> {
  while (agent.stats().acked < n) await sleep(10)
}

test('agent → Mosquitto: N frames in order with seq 1..N; ONLINE while running, OFFLINE after stop; seq continues after a restart', { timeout: 60_000 }, async t => {
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-agent-'))
  const log = quietLogger()
  const frames = await collect(mq.url, rigTopic(TENANT, RIG, 'frames'))
  t.after(() => frames.close())
  const N = 50

  const a = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source: limited(createSimulator({ seed: 1, startUs: START }), N), stateDir, speed: 0, maxInflight: 8, log })
  await frames.until(m => m.length >= N)
  await acked(a, N)
  const first = frames.messages.map(m => FrameBatch.decode(m.payload))
  assert.deepEqual(first.map(f => int64(f.seq)), Array.from({ length: N }, (_, i) => i + 1))
  first.forEach((f, i) => {
    assert.equal(f.tenant, TENANT)
    assert.equal(f.rig, RIG)
    assert.equal(f.profile, 'uci-hydraulic/v1')
    assert.equal(int64(f.windowStartUs), START + i * 1_000_000, 'frame time is the rig clock')
    assert.equal(f.channels.reduce((n, c) => n + (c.samples?.length ?? 0), 0), 728)
    assert.ok(int64(f.sentUs) > 0)
  })
  assert.deepEqual({ ...a.stats(), connected: true }, { published: N, acked: N, seq: N, connected: true, spooled: 0, dropped: 0, reconnects: 0, clockOffsetMs: null, clockDrift: false })

  // Birth: a client that subscribes now gets the retained ONLINE.
  const state = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
  t.after(() => state.close())
  await state.until(m => m.length >= 1)
  const online = RigState.decode(state.messages[0].payload)
  assert.equal(state.messages[0].retain, true)
  assert.equal(online.status, RigState.Status.ONLINE)
  assert.equal(online.profile, 'uci-hydraulic/v1')
  assert.equal(online.source, 'simulator')
  assert.ok(online.agentVersion.length > 0)
  assert.equal(online.modelVersion, '', 'no local diagnosis: no model version')

  await a.stop()
  await state.until(m => m.length >= 2)
  assert.equal(RigState.decode(state.messages[1].payload).status, RigState.Status.OFFLINE, 'graceful stop publishes OFFLINE')
  const later = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
  t.after(() => later.close())
  await later.until(m => m.length >= 1)
  assert.equal(RigState.decode(later.messages[0].payload).status, RigState.Status.OFFLINE, 'and it is retained')

  // Restart with the same state dir: seq continues (exactly, after a graceful stop).
  const b = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source: limited(createSimulator({ seed: 2, startUs: START + N * 1_000_000 }), 20), stateDir, speed: 0, log })
  await frames.until(m => m.length >= N + 20)
  await acked(b, 20)
  await b.stop()
  const seqs = frames.messages.map(m => int64(FrameBatch.decode(m.payload).seq))
  assert.deepEqual(seqs.slice(N), Array.from({ length: 20 }, (_, i) => N + 1 + i))
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'strictly increasing across the restart')
  await state.until(m => m.length >= 4)
  assert.deepEqual(state.messages.slice(2).map(m => RigState.decode(m.payload).status), [RigState.Status.ONLINE, RigState.Status.OFFLINE])
})
