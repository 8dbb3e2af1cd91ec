// A fleet against aedes (the embedded default's broker, MQTT 3.1.1 only): every rig's frames
// arrive in order with its own seq 1..n, and each rig has its birth message.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { FrameBatch, RigState, parseRigTopic } from '../../schemas/src/index.js'
import { startFleet } from '../src/fleet.js'
import { createSimulator } from '../src/sources/simulator.js'
import { createUciReplay } from '../src/sources/uci-replay.js'
import { loadUciData } from '../src/sources/uci-data.js'
import { collect, int64, limited, quietLogger, startAedes } from './helpers.js'

test('fleet → aedes: 3 rigs (simulated and replayed), each with seq 1..n in order and a retained ONLINE', { timeout: 60_000 }, async t => {
  const broker = await startAedes()
  t.after(() => broker.close())
  const frames = await collect(broker.url, 'rs/v1/acme/+/frames')
  t.after(() => frames.close())
  const startUs = Math.floor(Date.now() / 1000) * 1_000_000
  const n = { sim1: 15, sim2: 25, uci: 120 }
  const uci = loadUciData()
  const fleet = await startFleet({
    brokerUrl: broker.url,
    tenant: 'acme',
    stateDir: mkdtempSync(join(tmpdir(), 'rs-fleet-')),
    speed: 0,
    log: quietLogger(),
    rigs: [
      { rig: 'sim1', source: limited(createSimulator({ seed: 1, startUs, faults: { cooler: 20 } }), n.sim1) },
      { rig: 'sim2', source: limited(createSimulator({ seed: 2, startUs, faults: { pump: 2 } }), n.sim2) },
      // the last two cycles of the copy, then the replay ends
      { rig: 'uci', source: createUciReplay({ startUs, startCycle: uci.cycleNumbers[uci.rows - 2], loop: false }) }
    ]
  })
  const total = n.sim1 + n.sim2 + n.uci
  await frames.until(m => m.length >= total)
  while (fleet.stats().acked < total) await sleep(10)
  const stats = fleet.stats()
  assert.equal(stats.published, total)
  assert.equal(stats.acked, total)
  assert.deepEqual(Object.fromEntries(Object.entries(stats.perRig).map(([r, s]) => [r, s.seq])), n)

  const byRig = new Map<string, number[]>()
  for (const m of frames.messages) {
    const rig = parseRigTopic(m.topic)?.rig ?? '?'
    const f = FrameBatch.decode(m.payload)
    assert.equal(f.rig, rig)
    byRig.set(rig, [...(byRig.get(rig) ?? []), int64(f.seq)])
  }
  for (const [rig, count] of Object.entries(n)) {
    assert.deepEqual(byRig.get(rig), Array.from({ length: count }, (_, i) => i + 1), rig)
  }

  const state = await collect(broker.url, 'rs/v1/acme/+/state')
  t.after(() => state.close())
  await state.until(m => m.length >= 3)
  assert.deepEqual(state.messages.map(m => [parseRigTopic(m.topic)?.rig, m.retain, RigState.decode(m.payload).status]).sort(),
    [['sim1', true, RigState.Status.ONLINE], ['sim2', true, RigState.Status.ONLINE], ['uci', true, RigState.Status.ONLINE]])
  assert.equal(RigState.decode(state.messages.find(m => m.topic.endsWith('/uci/state'))?.payload ?? Buffer.alloc(0)).source, 'replay')

  await fleet.stop()
  await state.until(m => m.length >= 6)
  assert.deepEqual(state.messages.slice(3).map(m => RigState.decode(m.payload).status), [RigState.Status.OFFLINE, RigState.Status.OFFLINE, RigState.Status.OFFLINE])
})
