import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Aedes } from 'aedes'
import { Alert, Prediction, rigTopic } from '../../schemas/src/index.js'
import { freePort } from '../../common/src/net.js'
import { repoPath } from '../../common/src/paths.js'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { loadModel } from '../../inference/src/runtime.js'
import { loadUciCycles } from '../../inference/src/uci.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { startAgent } from '../src/agent.js'
import { EdgeDiagnosis } from '../src/diagnosis/service.js'
import { createUciReplay } from '../src/sources/uci-replay.js'
import { collect, int64, limited, quietLogger } from './helpers.js'
import { BUNDLED_VERSION } from '../../tests/support/bundled-model.js'

const TENANT = 'acme'
const START = Math.floor(Date.now() / 1000) * 1_000_000
const uci = loadUciCycles(repoPath('edge-agent', 'data', 'uci-hydraulic'))

/** What the rules should report with confirmCycles 1, from the model's own outputs (computed here). */
function expectedAlerts (perCycle: Array<Array<{ target: string, classIndex: number, probs: number[] }>>, healthy: Record<string, number>): Array<{ component: string, to: number }> {
  const reported: Record<string, number> = { ...healthy }
  const out: Array<{ component: string, to: number }> = []
  for (const heads of perCycle) {
    for (const h of heads) {
      if (!(h.target in reported) || h.probs[h.classIndex] < 0.6 || h.classIndex === reported[h.target]) continue
      reported[h.target] = h.classIndex
      out.push({ component: h.target, to: h.classIndex })
    }
  }
  return out
}

test('diagnosis: one prediction per load cycle, equal to the model run directly on the same cycle; alerts on changes of condition', { timeout: 120_000 }, async t => {
  const log = quietLogger()
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const RIG = 'diag-1'
  const CYCLES = 6
  // start in the middle of the data, where conditions change from cycle to cycle
  const first = 590
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-diag-'))
  const edge = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, alerts: { confirmCycles: 1 } })
  const preds = await collect(mq.url, rigTopic(TENANT, RIG, 'predictions'))
  t.after(() => preds.close())
  const alerts = await collect(mq.url, rigTopic(TENANT, RIG, 'alerts'))
  t.after(() => alerts.close())
  const source = limited(createUciReplay({ startUs: START, startCycle: uci.cycles[first]!.cycleNumber }), CYCLES * 60)
  const agent = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source, stateDir, speed: 0, log, extensions: [edge] })
  await preds.until(m => m.length >= CYCLES)
  await agent.stop()

  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  t.after(() => rt.close())
  const direct: Array<Awaited<ReturnType<typeof rt.predict>>> = []
  for (let i = 0; i < CYCLES; i++) direct.push(await rt.predict(uci.cycles[first + i]!.window))
  const got = preds.messages.map(m => Prediction.decode(m.payload))
  assert.equal(got.length, CYCLES)
  got.forEach((p, i) => {
    assert.equal(p.tenant, TENANT)
    assert.equal(p.rig, RIG)
    assert.equal(p.source, Prediction.Source.EDGE)
    assert.equal(p.modelVersion, BUNDLED_VERSION)
    assert.equal(int64(p.firstSeq), i * 60 + 1)
    assert.equal(int64(p.lastSeq), i * 60 + 60)
    assert.equal(int64(p.windowStartUs), START + i * 60_000_000)
    assert.equal(int64(p.windowEndUs), START + (i + 1) * 60_000_000)
    assert.deepEqual(p.heads.map(h => [h.target, h.classIndex, h.label]), direct[i]!.map(h => [h.target, h.classIndex, h.label]), `cycle ${i}`)
    p.heads.forEach((h, k) => (h.probs ?? []).forEach((v, c) => assert.ok(Math.abs(v - direct[i]![k]!.probs[c]!) < 1e-6)))
  })
  const healthy = Object.fromEntries(rt.manifest.targets.filter(x => x.name !== 'stable').map(x => [x.name, x.healthy!]))
  const want = expectedAlerts(direct, healthy)
  assert.ok(want.length > 0, 'these cycles hold faults')
  const gotAlerts = alerts.messages.map(m => Alert.decode(m.payload))
  assert.deepEqual(gotAlerts.map(a => a.component), want.map(w => w.component))
  gotAlerts.forEach((a, i) => {
    const target = rt.manifest.targets.find(x => x.name === a.component)!
    const to = want[i]!.to
    assert.equal(a.rule, to === target.healthy ? 'condition-recovered' : 'condition-degraded')
    assert.ok(a.message.includes(target.labels[to]!), a.message)
    assert.equal(a.raisedOffline, false)
    assert.equal(a.tenant, TENANT)
    assert.ok(a.id.length > 0)
  })
  assert.equal(new Set(gotAlerts.map(a => a.id)).size, gotAlerts.length, 'alert ids are unique')
  const s = edge.diagnosis.stats()
  assert.equal(s.predictions, CYCLES)
  assert.equal(s.alerts, gotAlerts.length)
})

test('diagnosis offline: alerts raised while the broker is unreachable are kept on disk and delivered later, flagged raised_offline', { timeout: 120_000 }, async t => {
  const log = quietLogger()
  const RIG = 'diag-off'
  const port = await freePort()
  const url = `mqtt://127.0.0.1:${port}`
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-diag-off-'))
  // cycles 0.. of the data start with a failing cooler: the first cycle raises an alert
  const edge = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, alerts: { confirmCycles: 1 } })
  const agent = await startAgent({ brokerUrl: url, tenant: TENANT, rig: RIG, source: limited(createUciReplay({ startUs: START, startCycle: uci.cycles[590]!.cycleNumber }), 3 * 60), stateDir, speed: 1000, log, extensions: [edge], reconnectPeriodMs: 100, stopTimeoutMs: 100 })
  while (edge.diagnosis.stats().predictions < 3) await new Promise(r => setTimeout(r, 20))
  const raised = edge.diagnosis.stats().alertsOffline
  assert.ok(raised > 0, 'alerts were raised offline')
  await agent.stop()
  const outbox = join(stateDir, TENANT, RIG, 'outbox')
  assert.equal(readdirSync(outbox).filter(f => f.endsWith('.msg')).length, 3 + raised, 'predictions and alerts wait on disk')

  // the broker comes up on that port; a new agent process (same state dir) delivers them
  const broker = await Aedes.createBroker()
  const server = createServer(broker.handle)
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  t.after(() => new Promise<void>(resolve => { server.close(() => resolve()); broker.close() }))
  const alerts = await collect(url, rigTopic(TENANT, RIG, 'alerts'))
  t.after(() => alerts.close())
  const preds = await collect(url, rigTopic(TENANT, RIG, 'predictions'))
  t.after(() => preds.close())
  const edge2 = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR })
  const agent2 = await startAgent({ brokerUrl: url, tenant: TENANT, rig: RIG, source: limited(createUciReplay({ startUs: START + 180_000_000 }), 0), stateDir, speed: 0, log, extensions: [edge2] })
  await alerts.until(m => m.length >= raised)
  await preds.until(m => m.length >= 3)
  const got = alerts.messages.map(m => Alert.decode(m.payload))
  assert.equal(got.length, raised)
  for (const a of got) assert.equal(a.raisedOffline, true)
  assert.deepEqual(preds.messages.map(m => int64(Prediction.decode(m.payload).lastSeq)), [60, 120, 180], 'in order')
  await agent2.stop()
  assert.equal(readdirSync(outbox).filter(f => f.endsWith('.msg')).length, 0, 'delivered messages leave the disk')
})

test('WASM fallback: without onnxruntime-node the agent diagnoses with onnxruntime-web, same classes', { timeout: 120_000 }, async t => {
  const log = quietLogger()
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const RIG = 'diag-wasm'
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-diag-wasm-'))
  // a native module name that cannot load stands for a platform onnxruntime-node has no build for
  const edge = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, backend: 'auto', nodeModule: 'onnxruntime-node-not-built-for-this-platform' })
  assert.equal(edge.models.runtime().backend, 'onnxruntime-web')
  assert.equal(edge.models.runtime().provider, 'wasm')
  const preds = await collect(mq.url, rigTopic(TENANT, RIG, 'predictions'))
  t.after(() => preds.close())
  const agent = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source: limited(createUciReplay({ startUs: START }), 2 * 60), stateDir, speed: 0, log, extensions: [edge] })
  await preds.until(m => m.length >= 2)
  await agent.stop()
  const rt = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  t.after(() => rt.close())
  for (let i = 0; i < 2; i++) {
    const p = Prediction.decode(preds.messages[i]!.payload)
    const native = await rt.predict(uci.cycles[i]!.window)
    assert.deepEqual(p.heads.map(h => h.classIndex), native.map(h => h.classIndex))
    p.heads.forEach((h, k) => (h.probs ?? []).forEach((v, c) => assert.ok(Math.abs(v - native[k]!.probs[c]!) < 1e-4, `web vs node ${v} ${native[k]!.probs[c]}`)))
  }
})
