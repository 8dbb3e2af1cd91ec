// A candidate model in shadow (issue 6, must-have 3): the Kafka worker runs it beside the active
// model on the same windows of real UCI cycles replayed through a real Kafka broker, into a real
// PostgreSQL. Checked: a shadow prediction for every window, marked with the candidate's name and
// version and stored apart; nothing of it produced, pushed live or alerted on; the active path's
// stored predictions and alerts equal those of a worker without a candidate on the same frames;
// the score that cloud-api serves equals the one computed here from the stored rows and the
// replay's own labels.
//
// The candidate is train-free (no second trained package exists): the reference package copied
// under another version with its input normalisation changed (std x 1.3), so that it disagrees
// with the active model on some windows and the score is not trivially 1.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { startKafka } from '../../tests/support/kafka.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { startApi } from '../../cloud-api/src/server.js'
import { DEFAULT_MODEL_DIR } from '../src/package.js'
import { startKafkaWorker } from '../src/worker/kafka.js'
import { createPredictionStore } from '../src/worker/store.js'
import type { ShadowScore } from '../src/worker/shadow.js'
import { frameProducer, migratedDatabase, produceFrames, replayFrames, uniqueId, waitFor } from './worker-support.js'
import { BUNDLED_VERSION } from '../../tests/support/bundled-model.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

const CANDIDATE_VERSION = '1.1.0-shadow'

function candidatePackage (): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-shadow-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string, normalisation: { std: number[][] } }
  manifest.version = CANDIDATE_VERSION
  manifest.normalisation.std = manifest.normalisation.std.map(row => row.map(x => x * 1.3))
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

interface HeadJson { target: string, value: number | null }

test('a candidate in shadow: a shadow prediction per window, nothing produced, pushed or alerted from it, the active path unchanged, the served score equal to the stored rows', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const dbA = await migratedDatabase()
  cleanups.push(() => dbA.pool.end())
  const dbB = await migratedDatabase()
  cleanups.push(() => dbB.pool.end())
  const tenant = uniqueId('shadow')
  // r*: replayed UCI cycles with their labels; x1 replays too, but is not named as a labelled rig
  // (as the simulator's rigs, which number their cycles as well): its windows carry no labels
  const rigs = ['r1', 'r2', 'r3', 'x1']
  const labelled = (rig: string): boolean => rig.startsWith('r')
  const CYCLES = 12
  // stretches with different conditions, so that alerts are raised and the models can disagree
  const replay = replayFrames(tenant, rigs, [1, 800, 1500, 1100], CYCLES)
  const n = replay.windows.length

  // A: the active model alone; B: the same, with the candidate in shadow (labels of the replayed UCI cycles)
  const busA = new LiveBus()
  const busB = new LiveBus()
  const pushedB: Array<{ kind: string, modelVersion?: string }> = []
  busB.on('prediction', ev => { if (ev.tenant === tenant) pushedB.push({ kind: 'prediction', modelVersion: ev.prediction.modelVersion }) })
  busB.on('alert', ev => { if (ev.tenant === tenant) pushedB.push({ kind: 'alert' }) })
  const common = { brokers: kafka.brokers.split(','), log, maxBatch: 8, maxWaitMs: 20 }
  const wA = await startKafkaWorker({ ...common, groupId: uniqueId('gA'), clientId: 'wA', store: createPredictionStore(dbA.pool), bus: busA })
  cleanups.push(() => wA.close())
  const storeB = createPredictionStore(dbB.pool)
  const wB = await startKafkaWorker({ ...common, groupId: uniqueId('gB'), clientId: 'wB', store: storeB, bus: busB, shadow: { modelDir: candidatePackage(), labels: 'uci', labelRigs: '^r' } })
  cleanups.push(() => wB.close())
  assert.deepEqual(wB.stats().shadowModel, { name: 'uci-hydraulic-gnn', version: CANDIDATE_VERSION })
  assert.equal(wA.stats().shadowModel, null)

  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, replay.frames)
  const count = async (pool: typeof dbA.pool, sql: string): Promise<number> => Number((await pool.query(sql, [tenant])).rows[0].count)
  await waitFor('A stored every window', async () => await count(dbA.pool, 'SELECT count(*) FROM predictions WHERE tenant = $1') >= n)
  await waitFor('B stored every window and its shadow', async () =>
    await count(dbB.pool, 'SELECT count(*) FROM predictions WHERE tenant = $1') >= n &&
    await count(dbB.pool, 'SELECT count(*) FROM shadow_predictions WHERE tenant = $1') >= n)
  await waitFor('both workers idle', () => wA.stats().inFlight === 0 && wB.stats().inFlight === 0 && wA.stats().queued === 0 && wB.stats().queued === 0)

  // 1. a shadow prediction for every window, with the candidate's name and version, the active version and the labels
  const shadow = (await dbB.pool.query<{ rig: string, ws: string, model_name: string, model_version: string, active_version: string, heads: HeadJson[], labels: Record<string, number> | null }>(
    `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, model_name, model_version, active_version, heads, labels
     FROM shadow_predictions WHERE tenant = $1`, [tenant])).rows
  assert.equal(shadow.length, n, 'one shadow prediction per window')
  const shadowBy = new Map(shadow.map(r => [`${r.rig}/${r.ws}`, r]))
  for (const w of replay.windows) {
    const r = shadowBy.get(`${w.rig}/${w.windowStartUs}`)
    assert.ok(r, `${w.rig} window ${w.windowStartUs} has a shadow prediction`)
    assert.equal(r.model_name, 'uci-hydraulic-gnn')
    assert.equal(r.model_version, CANDIDATE_VERSION)
    assert.equal(r.active_version, BUNDLED_VERSION)
    assert.deepEqual(r.labels, labelled(w.rig) ? { ...w.labels } : null, 'the window\'s labels are the replayed cycle\'s (none for x1)')
  }

  // 2. nothing of the candidate in the rig's diagnosis: predictions table, live push, rs.predictions.v1, alerts
  const activeB = (await dbB.pool.query<{ rig: string, ws: string, model_version: string, source: string, classes: number[], heads: HeadJson[] }>(
    `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, model_version, source, classes, heads FROM predictions WHERE tenant = $1`, [tenant])).rows
  assert.equal(activeB.length, n)
  assert.ok(activeB.every(r => r.model_version === BUNDLED_VERSION && r.source === 'cloud'), 'only the active model\'s predictions are the rig\'s')
  const pushedPredictions = pushedB.filter(p => p.kind === 'prediction')
  assert.equal(pushedPredictions.length, n, 'one live prediction per window')
  assert.ok(pushedPredictions.every(p => p.modelVersion === BUNDLED_VERSION), 'no live prediction of the candidate')
  assert.ok(wB.stats().predictionsProduced >= n)
  assert.equal(wB.stats().predictionsProduced, wA.stats().predictionsProduced, 'the same predictions produced to rs.predictions.v1 with and without the candidate')
  assert.equal(wB.stats().shadowFailed, 0)

  // 3. the active path unchanged: the same stored predictions and alerts as the worker without a candidate
  const activeA = (await dbA.pool.query<{ rig: string, ws: string, model_version: string, source: string, classes: number[], heads: HeadJson[] }>(
    `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, model_version, source, classes, heads FROM predictions WHERE tenant = $1`, [tenant])).rows
  const key = (r: { rig: string, ws: string }): string => `${r.rig}/${r.ws}`
  const sortBy = <T extends { rig: string, ws: string }>(rows: T[]): T[] => [...rows].sort((a, b) => key(a).localeCompare(key(b)))
  // classes, labels and values exactly; probabilities to 1e-5 (float32 results depend slightly on
  // how windows were batched, which differs between two workers whatever the candidate does)
  const exact = (rows: typeof activeA): unknown[] => sortBy(rows).map(r => ({ ...r, heads: r.heads.map(h => ({ ...h, probs: undefined })) }))
  assert.deepEqual(exact(activeB), exact(activeA), 'stored predictions equal those of the worker without a candidate')
  const probsA = new Map(activeA.map(r => [key(r), r.heads.flatMap(h => (h as unknown as { probs: number[] }).probs)]))
  for (const r of activeB) {
    const a = probsA.get(key(r))!
    r.heads.flatMap(h => (h as unknown as { probs: number[] }).probs).forEach((p, i) => assert.ok(Math.abs(p - a[i]!) < 1e-5, `${key(r)} prob ${i}: ${p} vs ${a[i]}`))
  }
  const alertsOf = async (pool: typeof dbA.pool): Promise<unknown[]> => (await pool.query(
    'SELECT id, rig, severity, component, rule, message, source FROM alerts WHERE tenant = $1 ORDER BY id', [tenant])).rows
  const alertsA = await alertsOf(dbA.pool)
  assert.ok(alertsA.length > 0, 'the replayed degraded cycles raise alerts (so the comparison means something)')
  assert.deepEqual(await alertsOf(dbB.pool), alertsA, 'the same alerts: none from the candidate')
  assert.equal(pushedB.filter(p => p.kind === 'alert').length, alertsA.length, 'live alerts: only the active model\'s')

  // 4. the score: computed here from the stored rows and the replay's labels, and served by cloud-api
  const activeBy = new Map(activeB.map(r => [key(r), r]))
  const targets = shadow[0]!.heads.map(h => h.target)
  const expected = targets.map(target => {
    let agree = 0; let correct = 0; let activeCorrect = 0; let nLabelled = 0
    for (const w of replay.windows) {
      const k = `${w.rig}/${w.windowStartUs}`
      const c = shadowBy.get(k)!.heads.find(h => h.target === target)!.value
      const a = activeBy.get(k)!.heads.find(h => h.target === target)!.value
      const label = (w.labels as unknown as Record<string, number>)[target]
      if (c === a) agree++
      if (!labelled(w.rig)) continue
      nLabelled++
      if (c === label) correct++
      if (a === label) activeCorrect++
    }
    return { target, compared: n, agreement: agree / n, labelled: nLabelled, accuracy: correct / nLabelled, activeAccuracy: activeCorrect / nLabelled }
  })
  assert.ok(expected.every(t => t.labelled === n * 3 / 4), 'x1\'s windows are not labelled')
  assert.ok(expected.some(t => t.agreement < 1), `the candidate disagrees with the active model somewhere (agreement ${expected.map(t => t.agreement.toFixed(2)).join(' ')})`)

  const api = await startApi({ port: 0, queries: createTelemetryQueries(dbB.pool), bus: busB, log, predictions: { store: storeB, targets } })
  cleanups.push(() => api.close())
  const res = await fetch(`${api.url}/api/v1/shadow/uci-hydraulic-gnn/${CANDIDATE_VERSION}?tenant=${tenant}`)
  assert.equal(res.status, 200)
  const served = await res.json() as ShadowScore
  assert.equal(served.windows, n)
  assert.equal(served.compared, n)
  assert.deepEqual(served.activeVersions, [BUNDLED_VERSION])
  assert.deepEqual(served.targets.map(t => t.target), targets)
  for (const e of expected) {
    const s = served.targets.find(t => t.target === e.target)!
    assert.equal(s.compared, e.compared, e.target)
    assert.equal(s.labelled, e.labelled, e.target)
    for (const f of ['agreement', 'accuracy', 'activeAccuracy'] as const) assert.ok(Math.abs(s[f]! - e[f]) < 1e-12, `${e.target} ${f}: served ${s[f]}, computed ${e[f]}`)
  }
  log.info({ score: served.targets }, 'shadow score')
  // an unknown candidate version: nothing stored, nothing to score
  const none = await (await fetch(`${api.url}/api/v1/shadow/uci-hydraulic-gnn/9.9.9?tenant=${tenant}`)).json() as ShadowScore
  assert.equal(none.windows, 0)
  assert.deepEqual(none.targets, [])
  // bad input: a clear 400
  const bad = await fetch(`${api.url}/api/v1/shadow/uci-hydraulic-gnn/${CANDIDATE_VERSION}?since=-5`)
  assert.equal(bad.status, 400)
})

test('a shadow candidate that is the active model itself, or reads other windows, is refused with RS_ERR_CONFIG', { timeout: 120_000 }, async () => {
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const { WorkerCore } = await import('../src/worker/worker.js')
  const store = createPredictionStore(db.pool)
  await assert.rejects(WorkerCore.create({ store, log, shadow: { modelDir: DEFAULT_MODEL_DIR } }), (e: Error & { code?: string }) => e.code === 'RS_ERR_CONFIG' && /active model itself/.test(e.message))
  const dir = mkdtempSync(join(tmpdir(), 'rs-shadow-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true })
  // channels in another order: a package that loads (loadModel refuses manifests that disagree
  // with their network or themselves) but reads its windows otherwise
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string, channels: string[] }
  manifest.version = '2.0.0'
  manifest.channels = [manifest.channels[1]!, manifest.channels[0]!, ...manifest.channels.slice(2)]
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  await assert.rejects(WorkerCore.create({ store, log, shadow: { modelDir: dir } }), (e: Error & { code?: string }) => e.code === 'RS_ERR_CONFIG' && /other windows/.test(e.message))
})
