// The cloud worker end to end on a real Kafka broker and a real PostgreSQL: real UCI cycles with
// known labels, replayed as 1 s frames on rs.frames.v1, come out as predictions that are stored,
// pushed on the live WebSocket and produced to rs.predictions.v1, and that equal the offline
// evaluation of the same cycles (inference/src/eval.ts over the same rows).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { repoPath } from '../../common/src/paths.js'
import { startKafka } from '../../tests/support/kafka.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { startApi } from '../../cloud-api/src/server.js'
import { TestClient } from '../../cloud-api/test/support/ws-client.js'
import { loadModel } from '../src/runtime.js'
import { DEFAULT_MODEL_DIR } from '../src/package.js'
import { loadUciCycles } from '../src/uci.js'
import { evaluate } from '../src/eval.js'
import { startKafkaWorker } from '../src/worker/kafka.js'
import { createPredictionStore } from '../src/worker/store.js'
import { startKafkaPredictionsFeed } from '../../cloud-api/src/live/kafka-predictions.js'
import { frameProducer, migratedDatabase, produceFrames, replayFrames, uniqueId, waitFor } from './worker-support.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })
const DATA = repoPath('edge-agent', 'data', 'uci-hydraulic')
const FILES = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE', 'profile', 'cycles']

test('replayed UCI cycles: stored, pushed and produced predictions equal the offline evaluation of the same cycles', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('uci')
  const rigs = ['r1', 'r2', 'r3']
  // three stretches of the data set with different conditions (cooler 3 %, 20 %, 100 % blocks)
  const CYCLES = 10
  const replay = replayFrames(tenant, rigs, [1, 800, 1500], CYCLES)
  assert.equal(replay.windows.length, rigs.length * CYCLES)

  // the cloud API with its live hub, on the same bus the worker pushes to
  const bus = new LiveBus()
  const api = await startApi({ port: 0, queries: createTelemetryQueries(db.pool), bus, log })
  cleanups.push(() => api.close())
  const ws = await TestClient.connect(api.url.replace('http', 'ws') + '/ws')
  cleanups.push(() => ws.close())
  for (const rig of rigs) await ws.request({ type: 'subscribe', tenant, rig }, 'subscribed')

  const worker = await startKafkaWorker({
    brokers: kafka.brokers.split(','), groupId: uniqueId('g'), store: createPredictionStore(db.pool), bus, log, provider: 'auto', maxBatch: 8, maxWaitMs: 20
  })
  let closing: Promise<void> | undefined
  const closeWorker = (): Promise<void> => (closing ??= worker.close())
  cleanups.push(closeWorker)
  assert.equal(worker.provider, 'cpu', 'no GPU on this machine: the CPU provider is in use')

  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, replay.frames)

  const stored = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)
  await waitFor('every window predicted and stored', async () => await stored() >= replay.windows.length)
  await waitFor('every prediction pushed on the WebSocket', () => ws.of('prediction').filter(m => m.tenant === tenant).length >= replay.windows.length)
  await waitFor('every prediction produced to rs.predictions.v1', () => worker.stats().predictionsProduced >= replay.windows.length)

  const store = createPredictionStore(db.pool)
  const rows = (await Promise.all(rigs.map(rig => store.listPredictions({ tenant, rig, limit: 1000 })))).flat()
  assert.equal(rows.length, replay.windows.length, 'one stored prediction per window')

  // offline: the runtime's batch path (what eval.ts runs) on the same cycles, read from the files
  const data = loadUciCycles(DATA)
  const runtime = await loadModel(DEFAULT_MODEL_DIR, { backend: 'node' })
  cleanups.push(() => runtime.close())
  const cycleRow = new Map(data.cycles.map(c => [c.cycleNumber, c]))
  const offline = await runtime.predictBatch(replay.windows.map(w => cycleRow.get(w.cycle)!.window))
  const pushed = new Map(ws.of('prediction').filter(m => m.tenant === tenant).map(m => [`${m.rig}/${m.prediction.windowStartUs}`, m.prediction]))
  replay.windows.forEach((w, i) => {
    const row = rows.find(r => r.rig === w.rig && r.windowStartUs === w.windowStartUs)
    assert.ok(row, `stored prediction for ${w.rig} cycle ${w.cycle}`)
    assert.equal(row.source, 'cloud')
    assert.equal(row.modelVersion, runtime.manifest.version)
    assert.equal(row.windowEndUs, w.windowStartUs + 60_000_000)
    const want = offline[i]!
    assert.deepEqual(row.heads.map(h => h.classIndex), want.map(h => h.classIndex), `${w.rig} cycle ${w.cycle}: classes`)
    row.heads.forEach((h, j) => h.probs.forEach((p, k) => assert.ok(Math.abs(p - want[j]!.probs[k]!) < 1e-5, `${w.rig} cycle ${w.cycle} ${h.target} p${k}`)))
    const live = pushed.get(`${w.rig}/${w.windowStartUs}`)
    assert.ok(live, `pushed prediction for ${w.rig} cycle ${w.cycle}`)
    assert.equal(live.source, 'CLOUD')
    assert.deepEqual(live.heads.map((h: { classIndex: number }) => h.classIndex), want.map(h => h.classIndex))
  })

  // accuracy against the known labels: the same confusion matrices as `rigstream model eval` on these rows
  const scratch = mkdtempSync(join(tmpdir(), 'rs-worker-eval-'))
  cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }))
  const dir = join(scratch, 'slice')
  mkdirSync(dir)
  const indices = replay.windows.map(w => cycleRow.get(w.cycle)!.index)
  for (const f of FILES) {
    const lines = readFileSync(join(DATA, `${f}.txt`), 'utf8').split('\n')
    writeFileSync(join(dir, `${f}.txt`), indices.map(r => lines[r]).join('\n') + '\n')
  }
  const evaluated = await evaluate(runtime, dir)
  const confusion: Record<string, number[][]> = {}
  for (const t of runtime.manifest.targets) confusion[t.name] = t.values.map(() => t.values.map(() => 0))
  replay.windows.forEach(w => {
    const row = rows.find(r => r.rig === w.rig && r.windowStartUs === w.windowStartUs)!
    for (const h of row.heads) {
      const t = runtime.manifest.targets.find(x => x.name === h.target)!
      confusion[h.target]![t.values.indexOf(w.labels[h.target as keyof typeof w.labels])]![h.classIndex]!++
    }
  })
  assert.deepEqual(confusion, evaluated.confusion)
  assert.equal(evaluated.n, replay.windows.length)

  await closeWorker() // the next test's predictions must come from its own worker
  // (the worker's own counters are not checked: on the shared test broker, rs.frames.v1 also
  // holds other tests' frames, which a fresh group reads from the earliest offset)
})

test('standalone: a worker without a bus; its predictions reach a cloud-api WebSocket through rs.predictions.v1', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('live')
  const rigs = ['k1', 'k2']
  const replay = replayFrames(tenant, rigs, [300, 1200], 3)
  // the api process side: its own bus, fed from Kafka only
  const bus = new LiveBus()
  const feed = await startKafkaPredictionsFeed({ brokers: kafka.brokers.split(','), bus, log })
  cleanups.push(() => feed.close())
  const api = await startApi({ port: 0, queries: createTelemetryQueries(db.pool), bus, log })
  cleanups.push(() => api.close())
  const ws = await TestClient.connect(api.url.replace('http', 'ws') + '/ws')
  cleanups.push(() => ws.close())
  for (const rig of rigs) await ws.request({ type: 'subscribe', tenant, rig }, 'subscribed')
  // the worker process side: no bus, Kafka in and out
  const worker = await startKafkaWorker({ brokers: kafka.brokers.split(','), groupId: uniqueId('g'), store: createPredictionStore(db.pool), log, maxBatch: 4, maxWaitMs: 20 })
  cleanups.push(() => worker.close())
  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, replay.frames)
  await waitFor('every prediction on the WebSocket', () => ws.of('prediction').filter(m => m.tenant === tenant).length >= replay.windows.length)
  await waitFor('every prediction stored', async () => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count) >= replay.windows.length)
  const store = createPredictionStore(db.pool)
  for (const w of replay.windows) {
    const row = (await store.listPredictions({ tenant, rig: w.rig, fromUs: w.windowStartUs, toUs: w.windowStartUs + 1 }))[0]
    assert.ok(row, `stored ${w.rig} ${w.windowStartUs}`)
    const live = ws.of('prediction').find(m => m.tenant === tenant && m.rig === w.rig && m.prediction.windowStartUs === w.windowStartUs)
    assert.ok(live, `pushed ${w.rig} ${w.windowStartUs}`)
    assert.equal(live.prediction.source, 'CLOUD')
    assert.deepEqual(live.prediction.heads.map((h: { classIndex: number }) => h.classIndex), row.heads.map(h => h.classIndex))
  }
})
