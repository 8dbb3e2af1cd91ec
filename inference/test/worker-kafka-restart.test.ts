// The Kafka broker stopped and started again under a running worker (a broker of its own, not the
// shared test broker): the worker goes on reading by itself once the broker is back, and every
// window, produced before, during and after the outage, ends with exactly one stored prediction.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createRootLogger } from '../../common/src/logger.js'
import { MetricsRegistry, serveMetrics } from '../../common/src/metrics.js'
import { repoPath } from '../../common/src/paths.js'
import { registerWorkerMetrics } from '../src/worker/metrics.js'
import { createKafkaProcess, restartKafka } from '../../tests/support/kafka.js'
import { startKafkaWorker } from '../src/worker/kafka.js'
import { createPredictionStore } from '../src/worker/store.js'
import { frameProducer, migratedDatabase, produceFrames, replayFrames, uniqueId, waitFor } from './worker-support.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('the Kafka broker restarted under a running worker: it reads on by itself; every window has exactly one stored prediction', { timeout: 600_000 }, async () => {
  const kafka = await createKafkaProcess()
  cleanups.push(() => kafka.destroy())
  await kafka.start()
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('kr')
  const rigs = Array.from({ length: 8 }, (_, i) => `rig-${i}`)
  const replay = replayFrames(tenant, rigs, rigs.map((_, i) => 1 + i * 50), 6)
  // frames in time order: the first half before the outage, the second after it
  const half = Math.floor(replay.frames.length / 2)
  const first = replay.frames.slice(0, half)
  const second = replay.frames.slice(half)
  const count = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)

  const worker = await startKafkaWorker({ brokers: [kafka.brokers], groupId: uniqueId('g'), store: createPredictionStore(db.pool), log, maxBatch: 8, maxWaitMs: 20 })
  let closing: Promise<void> | undefined
  cleanups.push(() => (closing ??= worker.close()))
  const registry = new MetricsRegistry()
  registerWorkerMetrics(registry, () => worker.stats())
  const metrics = await serveMetrics(registry, { host: '127.0.0.1', port: 0 })
  cleanups.push(() => metrics.close())

  let producer = await frameProducer(kafka.brokers)
  await produceFrames(producer, first)
  await producer.close()
  await waitFor('predictions of the first half', async () => await count() > 0)
  const before = await count()

  // down for 15 s: longer than the client's own retries (5 x 300 ms) and its session timeout (10 s)
  await restartKafka(kafka, { downMs: 15_000 })
  producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, second)

  await waitFor('every window predicted after the restart', async () => await count() >= replay.windows.length, 240_000)
  // a little longer: a late duplicate would show here
  await new Promise(resolve => setTimeout(resolve, 3000))
  // (the table's key makes a repeat a no-op: what could go wrong is a window missing or misbuilt)
  const rows = (await db.pool.query<{ rig: string, start_us: string }>(
    'SELECT rig, (extract(epoch FROM window_start) * 1000000)::bigint::text AS start_us FROM predictions WHERE tenant = $1', [tenant])).rows
  const got = rows.map(r => `${r.rig}@${r.start_us}`).sort()
  const want = replay.windows.map(w => `${w.rig}@${w.windowStartUs}`).sort()
  assert.deepEqual(got, want, `exactly the replayed windows (${before} stored before the restart)`)
  const st = worker.stats()
  assert.equal(st.streamClosed, false, 'the consumer stream is open')
  // its Prometheus series say the same
  const text = await (await fetch(metrics.url)).text()
  const value = (body: string, name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body)?.[1] ?? NaN)
  assert.ok(value(text, 'rigstream_worker_predictions_stored_total') >= replay.windows.length, text)
  assert.ok(value(text, 'rigstream_worker_stream_restarts_total') >= 1, 'the restart is counted (the client ended the stream while the broker was down): ' + text)
  assert.match(text, /^rigstream_worker_info\{backend="[a-z-]+",model_version="[^"]+",provider="cpu"\} 1$/m)
  await (closing ??= worker.close())

  // `rigstream worker` serves the same series with RS_WORKER_METRICS_PORT: a new group re-reads
  // the topic from the start, and every window it computes again is already stored (a duplicate)
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'worker', '--max-batch', '8'], {
    env: { ...process.env, DATABASE_URL: db.url, KAFKA_BROKERS: kafka.brokers, RS_WORKER_GROUP: uniqueId('g'), RS_WORKER_MIGRATE: '0', RS_WORKER_METRICS_PORT: '0', RS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  cleanups.push(async () => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr!.on('data', d => { stderr += String(d) })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', line => {
      try { const m = JSON.parse(line) as { msg?: string, url?: string }; if (m.msg === 'metrics listening' && m.url) resolve(m.url) } catch {}
    })
    child.once('exit', code => reject(new Error(`rigstream worker exited (${code}): ${stderr.slice(-2000)}`)))
  })
  let last = ''
  await waitFor('rigstream worker counts every window again as a duplicate on its /metrics', async () => {
    last = await (await fetch(url)).text()
    return value(last, 'rigstream_worker_predictions_duplicate_total') >= replay.windows.length
  }, 120_000)
  assert.match(last, /^rigstream_worker_partitions [1-9]/m)
  assert.match(last, /^process_resident_memory_bytes \d+/m)
  child.kill('SIGTERM')
  await new Promise(resolve => child.once('exit', resolve))
})
