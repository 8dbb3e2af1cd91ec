// The embedded feed (LiveBus, as in `npm start`), the alert rule, the REST routes and edge vs
// cloud drift, on a real PostgreSQL and a real HTTP/WebSocket server.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { FrameBatch, Prediction } from '../../schemas/src/index.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { startApi } from '../../cloud-api/src/server.js'
import { TestClient } from '../../cloud-api/test/support/ws-client.js'
import { loadModel } from '../src/runtime.js'
import { DEFAULT_MODEL_DIR } from '../src/package.js'
import { loadUciCycles } from '../src/uci.js'
import { repoPath } from '../../common/src/paths.js'
import { startBusWorker } from '../src/worker/bus.js'
import { createPredictionStore } from '../src/worker/store.js'
import { migratedDatabase, replayFrames, uniqueId, waitFor } from './worker-support.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })
const K = 3

test('embedded feed: degraded components for K cycles raise one alert each (stored, pushed, acknowledged); a restart raises none again; edge vs cloud drift', { timeout: 300_000 }, async () => {
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const store = createPredictionStore(db.pool)
  const tenant = uniqueId('al')
  // cycles around the data set's change of cooler condition: degraded streaks start and end
  const replay = replayFrames(tenant, ['a1'], [728], 12)
  const runtime = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  cleanups.push(() => runtime.close())
  const targets = runtime.manifest.targets

  // reference: the offline predictions of the same cycles, and the alerts a plain reading of the rule gives
  const byCycle = new Map(loadUciCycles(repoPath('edge-agent', 'data', 'uci-hydraulic')).cycles.map(c => [c.cycleNumber, c]))
  const offline = await runtime.predictBatch(replay.windows.map(w => byCycle.get(w.cycle)!.window))
  const expected: string[] = []
  for (const [ti, t] of targets.entries()) {
    if (t.name === 'stable') continue
    let run = 0
    offline.forEach((heads, i) => {
      run = heads[ti]!.classIndex === t.healthy ? 0 : run + 1
      if (run === K) expected.push(`${t.name}@${replay.windows[i]!.windowStartUs}`)
    })
  }
  assert.ok(expected.length > 0, 'the chosen cycles hold at least one degraded streak of K cycles')

  const bus = new LiveBus()
  const api = await startApi({ port: 0, queries: createTelemetryQueries(db.pool), bus, log, predictions: { store, targets: targets.map(t => t.name) } })
  cleanups.push(() => api.close())
  const ws = await TestClient.connect(api.url.replace('http', 'ws') + '/ws')
  cleanups.push(() => ws.close())
  await ws.request({ type: 'subscribe', tenant, rig: 'a1' }, 'subscribed')

  const feed = (): void => { for (const f of replay.frames) bus.emit('frames', { tenant, rig: f.rig, seq: f.seq, batch: FrameBatch.decode(f.bytes) }) }
  let worker = await startBusWorker({ bus, store, runtime, log, alertCycles: K, maxBatch: 4, maxWaitMs: 10, storeEdge: true })
  feed()
  const count = async (table: string): Promise<number> => Number((await db.pool.query(`SELECT count(*) FROM ${table} WHERE tenant = $1`, [tenant])).rows[0].count)
  await waitFor('predictions stored', async () => await count('predictions') >= replay.windows.length)
  await waitFor('alerts pushed', () => ws.of('alert').length >= expected.length)
  await worker.close()

  const alerts = await (await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/alerts`)).json() as { alerts: Array<{ id: string, component: string, timeUs: number, acknowledgedUs: number | null, source: string }> }
  const got = alerts.alerts.map(a => `${a.component}@${a.timeUs - 60_000_000}`).sort()
  assert.deepEqual(got, [...expected].sort(), 'one alert per degraded streak reaching K cycles, at its K-th window')
  assert.deepEqual(ws.of('alert').map(m => m.alert.id).sort(), alerts.alerts.map(a => a.id).sort(), 'each alert pushed once on the WebSocket')
  assert.ok(alerts.alerts.every(a => a.acknowledgedUs === null && a.source === 'cloud'))

  // a restart that sees the same frames again (redelivery) stores nothing new and raises nothing again
  worker = await startBusWorker({ bus, store, runtime, log, alertCycles: K, maxBatch: 5, maxWaitMs: 10, storeEdge: true })
  cleanups.push(() => worker.close())
  feed()
  await waitFor('the repeat processed', () => worker.stats().predictionsDuplicate >= replay.windows.length)
  assert.equal(await count('predictions'), replay.windows.length)
  assert.equal(await count('alerts'), expected.length)
  assert.equal(worker.stats().alertsRaised, 0)

  // acknowledge one
  const first = alerts.alerts[0]!
  const ack = await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/alerts/${encodeURIComponent(first.id)}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 'alice' }) })
  assert.equal(ack.status, 200)
  assert.equal((await ack.json() as { acknowledgedBy: string }).acknowledgedBy, 'alice')
  const open = await (await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/alerts?open=true`)).json() as { alerts: unknown[] }
  assert.equal(open.alerts.length, expected.length - 1)
  const missing = await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/alerts/nope/ack`, { method: 'POST' })
  assert.equal(missing.status, 404)
  assert.equal((await missing.json() as { code: string }).code, 'RS_ERR_NOT_FOUND')

  // REST predictions: newest first, the stored heads
  const preds = await (await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/predictions?source=cloud&limit=5`)).json() as { predictions: Array<{ windowStartUs: number, heads: Array<{ classIndex: number }> }> }
  assert.equal(preds.predictions.length, 5)
  const last = replay.windows.length - 1
  assert.equal(preds.predictions[0]!.windowStartUs, replay.windows[last]!.windowStartUs)
  assert.deepEqual(preds.predictions[0]!.heads.map(h => h.classIndex), offline[last]!.map(h => h.classIndex))
  const bad = await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/predictions?source=sideways`)
  assert.equal(bad.status, 400)

  // edge vs cloud: two edge predictions on the MQTT path (the bus), one agreeing, one with another valve class
  const vi = targets.findIndex(t => t.name === 'valve')
  for (const i of [0, 1]) {
    const w = replay.windows[i]!
    bus.emit('prediction', {
      tenant,
      rig: 'a1',
      prediction: Prediction.create({
        tenant, rig: 'a1', windowStartUs: w.windowStartUs, windowEndUs: w.windowStartUs + 60_000_000, modelVersion: runtime.manifest.version, source: Prediction.Source.EDGE,
        heads: offline[i]!.map((h, j) => ({ target: h.target, classIndex: i === 1 && j === vi ? (h.classIndex + 1) % targets[vi]!.values.length : h.classIndex, label: h.label, probs: h.probs })),
        firstSeq: 1, lastSeq: 60, producedUs: w.windowStartUs + 61_000_000
      })
    })
  }
  await waitFor('edge predictions stored', async () => (await store.listPredictions({ tenant, rig: 'a1', source: 'edge' })).length === 2)
  const drift = await (await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/drift?since=0`)).json() as { windows: number, disagreement: Record<string, number> }
  assert.equal(drift.windows, 2)
  assert.equal(drift.disagreement.valve, 0.5)
  assert.equal(drift.disagreement.cooler, 0)

  // malformed edge predictions of the same model version (no heads, two heads, a class index past
  // its probabilities) are refused, counted, and do not break drift (before, one such row made
  // the drift query fail for the rig: "cannot accumulate empty arrays")
  const w2 = replay.windows[2]!
  const edge = (heads: Array<{ target: string, classIndex: number, label: string, probs: number[] }>, w: typeof w2): unknown => bus.emit('prediction', {
    tenant,
    rig: 'a1',
    prediction: Prediction.create({ tenant, rig: 'a1', windowStartUs: w.windowStartUs, windowEndUs: w.windowStartUs + 60_000_000, modelVersion: runtime.manifest.version, source: Prediction.Source.EDGE, heads, firstSeq: 1, lastSeq: 60, producedUs: w.windowStartUs + 61_000_000 })
  })
  const before = worker.stats().edgePredictionsRefused
  edge([], w2)
  edge(offline[2]!.slice(0, 2).map(h => ({ target: h.target, classIndex: h.classIndex, label: h.label, probs: h.probs })), replay.windows[3]!)
  edge(offline[4]!.map(h => ({ target: h.target, classIndex: 9, label: h.label, probs: h.probs })), replay.windows[4]!)
  assert.equal(worker.stats().edgePredictionsRefused - before, 3)
  const after = await fetch(`${api.url}/api/v1/rigs/${tenant}/a1/drift?since=0`)
  assert.equal(after.status, 200)
  assert.equal((await after.json() as { windows: number }).windows, 2)
  assert.equal((await store.listPredictions({ tenant, rig: 'a1', source: 'edge' })).length, 2)
})
